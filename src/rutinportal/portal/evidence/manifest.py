"""`manifest.json`: every file of the bundle with its SHA-256 and size, where and when it was
made, by what, for which period. `manifest.sig` is the Ed25519 signature of its exact bytes,
so the bytes are written once (`dumps`) and never re-serialised before verifying."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ... import __version__
from .zipwriter import Entry

FORMAT = 1
MANIFEST, SIGNATURE, README = "manifest.json", "manifest.sig", "LASMIG.txt"
NOT_IN_GIT = "inte i git"


def repository_commit(root: Path) -> str:
    """The commit the repository is at (with `+ändrad` when the working tree differs from
    it), or "inte i git"."""
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"],
                              capture_output=True, text=True, timeout=10)
        if head.returncode != 0:
            return NOT_IN_GIT
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain",
                                "--untracked-files=no"],
                               capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return NOT_IN_GIT
    commit = head.stdout.strip()
    return f"{commit}+ändrad" if dirty.returncode == 0 and dirty.stdout.strip() else commit


@dataclass(frozen=True)
class Manifest:
    export_id: str
    created: str              # UTC, ISO 8601
    period_from: str | None
    period_to: str
    exported_by: str
    repository_commit: str
    roster_imported: str | None
    public_key_sha256: str
    files: tuple[Entry, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "export_id": self.export_id,
            "created": self.created,
            "software": f"rutinportal {__version__}",
            "repository_commit": self.repository_commit,
            "period": {"from": self.period_from, "to": self.period_to},
            "exported_by": self.exported_by,
            "roster_imported": self.roster_imported,
            "hash": "SHA-256",
            "signature": "Ed25519 (manifest.sig: 64 byte, över exakt dessa bytes)",
            "public_key_sha256": self.public_key_sha256,
            "files": [{"path": e.path, "sha256": e.sha256, "bytes": e.size}
                      for e in self.files],
        }

    def dumps(self) -> bytes:
        return (json.dumps(self.as_dict(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def parse(data: bytes) -> dict[str, Any]:
    """The manifest as written; raises ValueError when it is not one."""
    value = json.loads(data.decode("utf-8"))
    files = value.get("files") if isinstance(value, dict) else None
    if not isinstance(files, list) or not all(
            isinstance(f, dict) and isinstance(f.get("path"), str)
            and isinstance(f.get("sha256"), str) for f in files):
        raise ValueError("files")
    return value
