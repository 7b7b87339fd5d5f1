"""Approved snapshots, read: the exact approved text of every approved version.

`approved/<ID>/v<N>.md` holds the content keys, the approval record and the body exactly as
approved, with the SHA-256 of its canonical content. The CLI writes them
(`approval.writing`); nobody edits them by hand. A snapshot whose text no longer matches its
hash is an error that names the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .documents import Approval, ApprovalFields, Content, ContentFields
from .hashing import content_sha256
from .problems import Problem, display_path
from .schema import Pattern, Text
from .yamlsource import YamlSyntaxError, read_front_matter

SNAPSHOT_DIR = "approved"
_FILE = re.compile(r"v(\d+)\.md")


class SnapshotFields(ContentFields, ApprovalFields):
    """Front-matter of an approved snapshot."""

    source = Text("Arbetskopians sökväg vid godkännandet.", required=True)
    sha256 = Pattern("Kontrollsumma (SHA-256) över titel, målgrupp och text.", r"[0-9a-f]{64}",
                     "64 hexadecimala tecken", required=True)


@dataclass(frozen=True)
class Snapshot:
    """One approved version, exactly as approved."""

    path: Path
    shown: str
    content: Content
    approval: Approval
    source: str       # the working copy's path when it was approved
    sha256: str
    body: str
    sha256_line: int | None = None

    @property
    def id(self) -> str:
        return self.content.id

    @property
    def version(self) -> int:
        return self.content.version


def snapshot_path(root: Path, doc_id: str, version: int) -> Path:
    return root / SNAPSHOT_DIR / doc_id / f"v{version}.md"


def read_snapshot(path: Path, root: Path) -> tuple[Snapshot | None, list[Problem]]:
    shown = display_path(path, root)
    try:
        source = read_front_matter(path.read_text(encoding="utf-8"))
    except YamlSyntaxError as exc:
        return None, [Problem(shown, exc.line, None, exc.detail)]
    values, problems = SnapshotFields.validate(source.meta, shown)
    if problems:
        return None, problems
    content = Content.from_values(values)
    match = _FILE.fullmatch(path.name)
    if path.parent.name != content.id or not match or int(match.group(1)) != content.version:
        return None, [Problem(shown, None, None,
                              f"förväntade filen {SNAPSHOT_DIR}/{content.id}/v{content.version}"
                              ".md för detta innehåll; godkända versioner får inte flyttas")]
    snapshot = Snapshot(path, shown, content, Approval.from_values(values), values["source"],
                        values["sha256"], source.body, source.meta.line("sha256"))
    if content_sha256(content.title, content.audience, source.body) != snapshot.sha256:
        return None, [Problem(
            shown, snapshot.sha256_line, "sha256",
            "texten stämmer inte med den godkända kontrollsumman; en godkänd version får "
            "inte ändras i efterhand – återställ filen (git checkout) eller godkänn en ny "
            "version")]
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
