"""Writing approval records to disk: snapshots and atomic file replacement.

A snapshot is written once, when a version is approved, and never changed afterwards.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from ..content.documents import Approval, ApprovalFields, Content, ContentFields


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def render_snapshot(content: Content, approval: Approval, source: str, sha256: str,
                    body: str) -> str:
    """The text of `approved/<ID>/v<N>.md`: content keys, source, approval, hash, body."""
    values = {**dataclasses.asdict(content), "source": source,
              **dataclasses.asdict(approval), "sha256": sha256}
    keys = [*ContentFields.fields, "source", *ApprovalFields.fields, "sha256"]
    data = {k: _plain(values[k]) for k in keys if values.get(k) not in (None, (), [], "")}
    head = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{head}---\n\n{body.rstrip()}\n"


def atomic_write(path: Path, text: str) -> None:
    """Write a file so that a crash leaves either the old or the new text, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
