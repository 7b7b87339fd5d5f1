"""The Ed25519 key pair that signs evidence bundles.

The private key lives in `var/evidence-signing-key.pem` (or `RUTINPORTAL_EVIDENCE_KEY`): made
on first use, readable only by the portal's user (0600), never printed. It is written under a
temporary name and linked into place, so two processes making it at once end with one key. The
public key is printed in PEM (SubjectPublicKeyInfo), which `openssl` reads; its fingerprint
(SHA-256 of the raw 32 bytes) names it in manifests and messages.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (Ed25519PrivateKey,
                                                               Ed25519PublicKey)

from ...errors import UserError
from ..storage.db import private_folder

KEY_FILE = "var/evidence-signing-key.pem"
ENV = "RUTINPORTAL_EVIDENCE_KEY"


def key_path(root: Path) -> Path:
    given = os.environ.get("RUTINPORTAL_EVIDENCE_KEY")  # = ENV, spelt out for deploy/env.example
    return Path(given) if given else root / KEY_FILE


def _read_private(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError):
        raise UserError(f"{path}: förväntade en privat Ed25519-nyckel i PEM-format, fick "
                        "något annat. Återställ filen från säkerhetskopian.") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise UserError(f"{path}: förväntade en privat Ed25519-nyckel, fick en annan sorts "
                        "nyckel. Återställ filen från säkerhetskopian.")
    return key


def signing_key(root: Path) -> Ed25519PrivateKey:
    """The private key, made (0600) on first use."""
    path = key_path(root)
    if path.exists():
        return _read_private(path)
    if path.parent.name == "var":
        private_folder(path.parent)
    elif not path.parent.is_dir():
        raise UserError(f"{ENV}: mappen {path.parent} finns inte; förväntade en sökväg i en "
                        "mapp som finns.")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)  # fails if another process made one meanwhile
        except FileExistsError:
            return _read_private(path)
    finally:
        temporary.unlink(missing_ok=True)
    return key


def public_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.PEM,
                            serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def fingerprint(key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw public key, in hex (64 characters)."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def short(fingerprint_hex: str) -> str:
    """The fingerprint as people compare it: groups of four, the first 32 characters."""
    head = fingerprint_hex[:32]
    return " ".join(head[i:i + 4] for i in range(0, len(head), 4))


def local_public_key(root: Path) -> Ed25519PublicKey:
    """The public half of the local key, without making one."""
    path = key_path(root)
    if not path.exists():
        raise UserError(f"Det finns ingen signeringsnyckel här ({path}). Ange den publicerade "
                        "publika nyckeln med --public-key FIL.")
    return _read_private(path).public_key()


def read_public_key(path: Path) -> Ed25519PublicKey:
    """A public key file: PEM, or the raw 32 bytes in base64 on one line."""
    try:
        data = path.read_bytes()
    except OSError:
        raise UserError(f"--public-key: filen {path} finns inte eller kan inte läsas.") from None
    try:
        if b"-----BEGIN" in data:
            key = serialization.load_pem_public_key(data)
        else:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(data.strip(),
                                                                      validate=True))
    except (ValueError, TypeError):
        raise UserError(f"{path}: förväntade en publik Ed25519-nyckel (PEM, som rutinportal "
                        "evidence public-key skriver ut), fick något annat.") from None
    if not isinstance(key, Ed25519PublicKey):
        raise UserError(f"{path}: förväntade en publik Ed25519-nyckel, fick en annan sorts "
                        "nyckel.")
    return key


def signature_valid(key: Ed25519PublicKey, signature: bytes, data: bytes) -> bool:
    try:
        key.verify(signature, data)
    except InvalidSignature:
        return False
    return True
