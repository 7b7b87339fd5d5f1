"""Approved snapshots: written once by approval, read back exactly, refused when any key, the
text or the frozen quiz changes, naming the file and the key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rutinportal.approval.writing import render_snapshot
from rutinportal.content.documents import Approval, Content
from rutinportal.content.hashing import content_sha256
from rutinportal.content.snapshots import (frozen_quiz_path, load_snapshots, read_snapshot,
                                           snapshot_path)

CONTENT = Content(id="RUT-901", title="Testrutin", owner="Chef", audience=("hemtjanst",),
                  version=2, mandatory=True, tags=("SITHS",), quiz="test-quiz")
APPROVAL = Approval(dt.date(2026, 1, 10), "Ledningsgruppen", dt.date(2026, 3, 2), "LG § 4")
BODY = "## Syfte\n\nText.\n"
QUIZ = """id: test-quiz
title: Test
pass_mark: 0.5
questions:
  - text: Fråga?
    choices:
      - text: Rätt
        correct: true
      - text: Fel
"""
RESTORE = ("en godkänd version får inte ändras i efterhand – återställ filen (git checkout) "
           "eller godkänn en ny version")


def write(root: Path, content: Content = CONTENT, body: str = BODY) -> Path:
    path = snapshot_path(root, content.id, content.version)
    path.parent.mkdir(parents=True, exist_ok=True)
    text, _ = render_snapshot(content, APPROVAL, "routines/test.md", body, QUIZ)
    path.write_text(text, encoding="utf-8")
    frozen_quiz_path(root, content.id, content.version).write_text(QUIZ, encoding="utf-8")
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_written_snapshot_reads_back_as_the_same_records(tmp_path: Path) -> None:
    snapshot, problems = read_snapshot(write(tmp_path), tmp_path)
    assert problems == []
    assert snapshot.content == CONTENT and snapshot.approval == APPROVAL
    assert snapshot.source == "routines/test.md" and snapshot.body == BODY
    assert snapshot.shown == "approved/RUT-901/v2.md"
    assert snapshot.quiz.id == "test-quiz" and snapshot.quiz_text == QUIZ


def test_crlf_and_trailing_spaces_are_not_a_change(tmp_path: Path) -> None:
    path = write(tmp_path)
    path.write_bytes(path.read_bytes().replace(b"\n", b"  \r\n"))
    assert read_snapshot(path, tmp_path)[1] == []


@pytest.mark.parametrize("key, old, new", [
    ("owner", "owner: Chef", "owner: Annan chef"),
    ("mandatory", "mandatory: true", "mandatory: false"),
    ("review_months", "review_months: 12", "review_months: 120"),
    ("quiz", "quiz: test-quiz", "quiz: annan-quiz"),
    ("approved_by", "approved_by: Ledningsgruppen", "approved_by: Någon annan"),
    ("approved_on", "approved_on: '2026-03-02'", "approved_on: '2026-03-03'"),
    ("decision", "decision: LG § 4", "decision: LG § 5"),
])
def test_every_key_is_bound_and_a_change_names_the_key(tmp_path: Path, key, old, new) -> None:
    path = write(tmp_path)
    edit(path, old, new)
    snapshot, problems = read_snapshot(path, tmp_path)
    assert snapshot is None
    line = path.read_text(encoding="utf-8").splitlines().index(new) + 1
    assert [str(p) for p in problems] == [
        f"approved/RUT-901/v2.md:{line}: {key}: värdet har ändrats efter godkännandet; "
        + RESTORE]


def test_an_added_key_is_a_change(tmp_path: Path) -> None:
    path = write(tmp_path)
    edit(path, "mandatory: true\n", "mandatory: true\ndue_days: 300\n")
    assert [str(p) for p in read_snapshot(path, tmp_path)[1]] == [
        "approved/RUT-901/v2.md:8: due_days: värdet har ändrats efter godkännandet; " + RESTORE]


def test_a_changed_text_is_refused_naming_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path)
    edit(path, "Text.", "Annan text.")
    snapshot, problems = read_snapshot(path, tmp_path)
    assert snapshot is None
    body_line = path.read_text(encoding="utf-8").splitlines().index("## Syfte") + 1
    assert [str(p) for p in problems] == [
        f"approved/RUT-901/v2.md:{body_line}: texten har ändrats efter godkännandet; " + RESTORE]


def test_a_changed_frozen_quiz_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path)
    quiz = frozen_quiz_path(tmp_path, "RUT-901", 2)
    quiz.write_text(QUIZ.replace("      - text: Fel\n", "      - text: Fel\n        correct: true\n")
                    , encoding="utf-8")
    assert [str(p) for p in read_snapshot(path, tmp_path)[1]] == [
        "approved/RUT-901/v2.quiz.yml: den frysta quizen har ändrats efter godkännandet; "
        + RESTORE]
    quiz.unlink()
    assert [str(p) for p in read_snapshot(path, tmp_path)[1]] == [
        "approved/RUT-901/v2.quiz.yml: den frysta quizen test-quiz saknas; förväntade filen "
        "som godkännandet skrev (gamla godkännanden: kör rutinportal snapshots rehash "
        "--confirm)"]


def test_a_changed_hash_without_a_changed_key_is_still_refused(tmp_path: Path) -> None:
    path = write(tmp_path)
    text = path.read_text(encoding="utf-8")
    sha = text.split("sha256: ")[1][:64]
    edit(path, sha, "a" * 64)
    problems = read_snapshot(path, tmp_path)[1]
    assert problems[0].key == "sha256" and problems[0].message.startswith(
        "innehållet stämmer inte med den godkända kontrollsumman")


def test_a_snapshot_of_the_first_format_asks_for_the_migration(tmp_path: Path) -> None:
    path = snapshot_path(tmp_path, "RUT-901", 1)
    path.parent.mkdir(parents=True)
    sha = content_sha256("T", ["alla"], BODY)
    path.write_text("---\nid: RUT-901\ntitle: T\nowner: O\naudience: [alla]\nversion: 1\n"
                    f"source: routines/t.md\nsha256: {sha}\n---\n\n{BODY}", encoding="utf-8")
    assert [str(p) for p in read_snapshot(path, tmp_path)[1]] == [
        "approved/RUT-901/v1.md:8: sha256: kontrollsumman är av det tidigare slaget, som bara "
        "binder titel, målgrupp och text; kör rutinportal snapshots rehash --confirm en gång "
        "så binds alla nycklar och quizen"]


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
