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
from ..content.hashing import fingerprints, record_sha256
from ..content.snapshots import Fingerprints, record_parts


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def render_snapshot(content: Content, approval: Approval, source: str, body: str,
                    quiz_text: str | None = None) -> tuple[str, str]:
    """The text of `approved/<ID>/v<N>.md` and its SHA-256: content keys, source, approval
    record, fingerprints and hash, body. `quiz_text` is the quiz frozen beside it (written
    by the caller to `approved/<ID>/v<N>.quiz.yml`), bound by the same hash."""
    values = {**dataclasses.asdict(content), "source": source,
              **dataclasses.asdict(approval)}
    keys = [*ContentFields.fields, "source", *ApprovalFields.fields]
    data = {k: _plain(values[k]) for k in keys if values.get(k) not in (None, (), [], "")}
    parts = record_parts(data, data, body, quiz_text)
    sha = record_sha256(parts)
    head = yaml.safe_dump({**data, "fingerprints": Fingerprints.render(fingerprints(parts)),
                           "sha256": sha},
                          sort_keys=False, allow_unicode=True, width=1000,
                          default_flow_style=None)
    return f"---\n{head}---\n\n{body.rstrip()}\n", sha


def atomic_write(path: Path, text: str | bytes) -> None:
    """Write a file so that a crash leaves either the old or the new text, never half."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
