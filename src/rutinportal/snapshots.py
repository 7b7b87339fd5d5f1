"""Approved snapshots: the exact approved text of every approved version.

`approved/<ID>/v<N>.md` holds the content keys, the approval record and the body exactly as
approved, with the SHA-256 of its canonical content. The CLI writes them; nobody edits them by
hand. A snapshot whose text no longer matches its hash is an error that names the file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .documents import ApprovalRecord, ContentFields
from .errors import Problem, display_path
from .hashing import content_sha256
from .schema import Pattern, Text
from .yamlsource import YamlSyntaxError, read_front_matter

SNAPSHOT_DIR = "approved"
_FILE = re.compile(r"v(\d+)\.md")


class SnapshotSchema(ContentFields, ApprovalRecord):
    """Front-matter of an approved snapshot."""

    source = Text("Arbetskopians sökväg vid godkännandet.", required=True)
    sha256 = Pattern("Kontrollsumma (SHA-256) över titel, målgrupp och text.", r"[0-9a-f]{64}",
                     "64 hexadecimala tecken", required=True)


@dataclass
class Snapshot:
    path: Path
    shown: str
    meta: dict[str, Any]
    body: str
    sha256_line: int | None = None

    @property
    def id(self) -> str:
        return self.meta["id"]

    @property
    def version(self) -> int:
        return self.meta["version"]

    @property
    def sha256(self) -> str:
        return self.meta["sha256"]

    @property
    def source(self) -> str:
        return self.meta["source"]


def snapshot_path(root: Path, doc_id: str, version: int) -> Path:
    return root / SNAPSHOT_DIR / doc_id / f"v{version}.md"


def read_snapshot(path: Path, root: Path) -> tuple[Snapshot | None, list[Problem]]:
    shown = display_path(path, root)
    try:
        source = read_front_matter(path.read_text(encoding="utf-8"))
    except YamlSyntaxError as exc:
        return None, [Problem(shown, exc.line, None, exc.detail)]
    meta, problems = SnapshotSchema.validate(source.meta, shown)
    if problems:
        return None, problems
    match = _FILE.fullmatch(path.name)
    if path.parent.name != meta["id"] or not match or int(match.group(1)) != meta["version"]:
        return None, [Problem(shown, None, None,
                              f"förväntade filen {SNAPSHOT_DIR}/{meta['id']}/v{meta['version']}.md"
                              " för detta innehåll; godkända versioner får inte flyttas")]
    snapshot = Snapshot(path, shown, meta, source.body, source.meta.line("sha256"))
    actual = content_sha256(meta["title"], meta["audience"], source.body)
    if actual != meta["sha256"]:
        problems.append(Problem(
            shown, snapshot.sha256_line, "sha256",
            "texten stämmer inte med den godkända kontrollsumman; en godkänd version får "
            "inte ändras i efterhand – återställ filen (git checkout) eller godkänn en ny version"))
        return None, problems
    return snapshot, []


def load_snapshots(root: Path) -> tuple[dict[str, list[Snapshot]], list[Problem]]:
    """Every snapshot by document id, oldest version first."""
    found: dict[str, list[Snapshot]] = {}
    problems: list[Problem] = []
    base = root / SNAPSHOT_DIR
    if not base.is_dir():
        return found, problems
    for path in sorted(base.glob("*/*.md")):
        snapshot, snapshot_problems = read_snapshot(path, root)
        problems += snapshot_problems
        if snapshot is not None:
            found.setdefault(snapshot.id, []).append(snapshot)
    for versions in found.values():
        versions.sort(key=lambda s: s.version)
    return found, problems


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def render_snapshot(meta: dict[str, Any], body: str) -> str:
    keys = [*ContentFields.fields, "source", *ApprovalRecord.fields, "sha256"]
    data = {k: _plain(meta[k]) for k in keys if meta.get(k) not in (None, [], "")}
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
