"""Content whose every name is a script payload: a routine's title, tags, owner and decision, a
unit in organisation.yml, a course in courses.yml and a quiz title. Used by the escaping tests
here and by tests/browser/test_payloads.py. Approved through the CLI, as a coordinator would."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from rutinportal.cli import main

TITLE = '<img src=x onerror=alert(1)> "Rutin" & \\ </title><script>alert(2)</script>'
TAG = '<b onmouseover=alert(3)>Tagg</b> & "citat"'
UNIT = '<svg onload=alert(4)> Hemtjänst & "natt"'
COURSE = "<script>alert(5)</script> Grundkurs & \\1"
QUIZ = '<img src=y onerror=alert(6)> Kunskapstest & "quiz"'
OWNER = 'Chef <i>"hemtjänst"</i> & co'
DECISION = 'LG <b>"U&S"</b> 2026-11-30 § 9'
RAW = ["<img src=x", "<img src=y", "<script>alert", "<svg onload", "<b onmouseover", "<i>\""]
SLUG = "payload"
ID = "RUT-990"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def make_payload_repo(root: Path) -> Path:
    """Turn a copy of the example repository (`example_repo`) into one full of payloads."""
    _replace(root / "organisation.yml", "name: Hemtjänst", f"name: {json.dumps(UNIT)}")
    _replace(root / "courses.yml", "title: Informationssäkerhet för alla medarbetare",
             f"title: {json.dumps(COURSE)}")
    # A quiz is frozen with the version that names it: the payload routine brings its own.
    (root / "quizzes" / f"{SLUG}.yml").write_text(
        f"id: {SLUG}\ntitle: {json.dumps(QUIZ)}\npass_mark: 0.8\nquestions:\n"
        "  - text: Vad gör du med en misstänkt länk?\n    choices:\n"
        "      - text: Klickar inte och rapporterar den.\n        correct: true\n"
        "      - text: Öppnar den för att se vad den är.\n", encoding="utf-8")
    (root / "routines" / f"{SLUG}.md").write_text(
        "---\n"
        f"id: {ID}\n"
        f"title: {json.dumps(TITLE)}\n"
        f"owner: {json.dumps(OWNER)}\n"
        "status: draft\n"
        "audience: [hemtjanst]\n"
        "version: 1\n"
        "mandatory: true\n"
        f"quiz: {SLUG}\n"
        f"tags: [{json.dumps(TAG)}, SITHS]\n"
        "related: [RUT-001]\n"
        "---\n\n## Syfte\n\nXylofonrutinen är en rutin vars namn försöker köra skript.\n",
        encoding="utf-8")
    env = {**os.environ, "RUTINPORTAL_ROOT": str(root), "RUTINPORTAL_TODAY": "2026-11-30"}
    runner = CliRunner()
    for args in (["submit", ID], ["approve", ID, "--by", "Ledningsgruppen Utveckling och stöd",
                                  "--decision", DECISION]):
        result = runner.invoke(main, args, env=env)
        assert result.exit_code == 0, result.output
    return root
