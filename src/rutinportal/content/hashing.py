"""Canonical content and SHA-256: what an approval binds.

An approved snapshot is bound to one SHA-256 over **every** key written in its front-matter
(content and approval record), its body and the quiz frozen with it. Each part is written as
one canonical line, `key: <JSON of the cleaned value>`, so that an editor's CRLF, trailing
spaces or YAML quoting style do not count as a change, but any changed value does. Beside the
hash, a snapshot stores a short fingerprint per part, so that a changed snapshot is reported
with the key that changed.

`content_sha256` is the hash of the first format (title, audience and body only); it is kept
for the one-time migration (`rutinportal snapshots rehash`) and nothing else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

BODY = "body"            # the Markdown text under the front-matter
QUIZ_FILE = "quiz_file"  # the frozen quiz (approved/<ID>/v<N>.quiz.yml)
FINGERPRINT_LENGTH = 12


def normalise_body(body: str) -> str:
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, str):
        return value.strip()
    return value


def canonical_line(key: str, value: Any) -> str:
    if key in (BODY, QUIZ_FILE):
        value = None if value is None else normalise_body(value)
    return f"{key}: {json.dumps(_plain(value), ensure_ascii=False, sort_keys=True)}"


def fingerprints(parts: Mapping[str, Any]) -> dict[str, str]:
    """A short hash of each part (key → value), to name what changed."""
    return {key: hashlib.sha256(canonical_line(key, value).encode("utf-8"))
            .hexdigest()[:FINGERPRINT_LENGTH] for key, value in parts.items()}


def record_sha256(parts: Mapping[str, Any]) -> str:
    """The SHA-256 that binds every part of an approved version, in the order given."""
    text = "\n".join(canonical_line(key, value) for key, value in parts.items()) + "\n"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def differing_parts(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The parts whose canonical values differ (without hashing: the common comparison of a
    working copy with its snapshot, done for every document in every check)."""
    def same(key: str) -> bool:
        a, b = before.get(key), after.get(key)
        if key in (BODY, QUIZ_FILE):
            return (a is None and b is None) or (
                a is not None and b is not None and normalise_body(a) == normalise_body(b))
        return _plain(a) == _plain(b)

    return [k for k in [*after, *(k for k in before if k not in after)] if not same(k)]


def changed_parts(recorded: Mapping[str, str], parts: Mapping[str, Any]) -> list[str]:
    """The parts whose fingerprint differs from `recorded` (added and removed ones too)."""
    now = fingerprints(parts)
    keys = [*now, *(k for k in recorded if k not in now)]
    return [k for k in keys if recorded.get(k) != now.get(k)]


# -- the first format, for the migration only ---------------------------------------------

def canonical_content(title: str, audience: Iterable[str], body: str) -> str:
    return f"title: {title.strip()}\naudience: {', '.join(audience)}\n\n{normalise_body(body)}\n"


def content_sha256(title: str, audience: Iterable[str], body: str) -> str:
    """The first format's hash (title, audience, body): only `snapshots rehash` uses it."""
    return hashlib.sha256(canonical_content(title, audience, body).encode("utf-8")).hexdigest()
