"""The portal grades from the quiz frozen with the approved version, never from `quizzes/`."""

from __future__ import annotations

import shutil
from pathlib import Path

from rutinportal.content.quizzes import load_quiz
from rutinportal.content.snapshots import read_snapshot, snapshot_path
from rutinportal.portal.published import load_published


def correct(quiz) -> dict[str, set[str]]:
    return {q.id: {c.id for c in q.choices if c.correct} for q in quiz.questions}


def test_a_changed_working_quiz_does_not_change_the_answer_key(built_example,
                                                               tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(built_example.root, root, ignore=shutil.ignore_patterns("site*", "var"))
    version = built_example.catalog["RUT-001"]["version"]  # the published one
    frozen, problems = read_snapshot(snapshot_path(root, "RUT-001", version), root)
    assert not problems
    before = load_published(root, built_example.site)
    assert correct(before.quizzes["siths-kort"]) == correct(frozen.quiz)
    # Someone edits the answer key in quizzes/ without a decision: every choice is right.
    working = root / "quizzes/siths-kort.yml"
    text = working.read_text(encoding="utf-8").replace("        correct: true\n", "")
    working.write_text(text.replace("      - text:", "      - correct: true\n        text:"),
                       encoding="utf-8")
    edited, problems = load_quiz(working, "quizzes/siths-kort.yml")
    assert not problems and correct(edited) != correct(frozen.quiz)
    after = load_published(root, built_example.site)
    assert correct(after.quizzes["siths-kort"]) == correct(frozen.quiz)
    # The reading lists' combined quizzes are made from the frozen copies too.
    combined = after.quizzes["laslista-hemtjanst"]
    assert {q.id for q in combined.questions if q.id.startswith("siths-kort--")}
    assert correct(combined) == correct(before.quizzes["laslista-hemtjanst"])
