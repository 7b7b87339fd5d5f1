"""Approved snapshots: written once by approval, read back exactly, refused when changed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rutinportal.approval.writing import render_snapshot
from rutinportal.content.documents import Approval, Content
from rutinportal.content.hashing import content_sha256
from rutinportal.content.snapshots import load_snapshots, read_snapshot, snapshot_path

CONTENT = Content(id="RUT-901", title="Testrutin", owner="Chef", audience=("hemtjanst",),
                  version=2, mandatory=True, tags=("SITHS",))
APPROVAL = Approval(dt.date(2026, 1, 10), "Ledningsgruppen", dt.date(2026, 3, 2), "LG § 4")
BODY = "## Syfte\n\nText.\n"


def write(root: Path, content: Content = CONTENT, body: str = BODY) -> Path:
    path = snapshot_path(root, content.id, content.version)
    path.parent.mkdir(parents=True, exist_ok=True)
    sha = content_sha256(content.title, content.audience, body)
    path.write_text(render_snapshot(content, APPROVAL, "routines/test.md", sha, body),
                    encoding="utf-8")
    return path


def test_a_written_snapshot_reads_back_as_the_same_records(tmp_path: Path) -> None:
    snapshot, problems = read_snapshot(write(tmp_path), tmp_path)
    assert problems == []
    assert snapshot.content == CONTENT and snapshot.approval == APPROVAL
    assert snapshot.source == "routines/test.md" and snapshot.body == BODY
    assert snapshot.shown == "approved/RUT-901/v2.md"


def test_a_changed_text_is_refused_naming_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("Text.", "Annan text."),
                    encoding="utf-8")
    snapshot, problems = read_snapshot(path, tmp_path)
    assert snapshot is None
    assert [str(p) for p in problems] == [
        f"approved/RUT-901/v2.md:{problems[0].line}: sha256: texten stämmer inte med den "
        "godkända kontrollsumman; en godkänd version får inte ändras i efterhand – återställ "
        "filen (git checkout) eller godkänn en ny version"]


def test_a_moved_snapshot_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path)
    moved = path.with_name("v3.md")
    path.rename(moved)
    snapshot, problems = read_snapshot(moved, tmp_path)
    assert snapshot is None
    assert problems[0].message == ("förväntade filen approved/RUT-901/v2.md för detta "
                                   "innehåll; godkända versioner får inte flyttas")


def test_versions_are_loaded_oldest_first(tmp_path: Path) -> None:
    for version in (10, 2, 1):
        write(tmp_path, Content(**{**CONTENT.__dict__, "version": version}))
    snapshots, problems = load_snapshots(tmp_path)
    assert problems == []
    assert [s.version for s in snapshots["RUT-901"]] == [1, 2, 10]
