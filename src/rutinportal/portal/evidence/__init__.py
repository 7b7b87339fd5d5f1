"""The evidence bundle: one signed ZIP that an auditor can read and verify without this
software — the registers as CSV, the approved texts, a manifest of SHA-256 hashes and its
Ed25519 signature (`bundle.export`, `verify.verify`); the signing key (`keys`); and the log of
every export (`log`), since a bundle carries personal data."""
