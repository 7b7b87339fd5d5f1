"""The canonical content of a controlled document and its SHA-256.

Approval binds a hash to the canonical content: title, audience and body, with line endings
normalised and trailing whitespace removed, so that an editor's CRLF or stray spaces do not
count as a change but a changed word does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def normalise_body(body: str) -> str:
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def canonical_content(title: str, audience: Iterable[str], body: str) -> str:
    return f"title: {title.strip()}\naudience: {', '.join(audience)}\n\n{normalise_body(body)}\n"


def content_sha256(title: str, audience: Iterable[str], body: str) -> str:
    return hashlib.sha256(canonical_content(title, audience, body).encode("utf-8")).hexdigest()
