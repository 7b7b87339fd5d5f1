"""Item 4: every key of an approved snapshot, and the quiz approved with it, is bound: an edit
after the decision fails `check`, every build and a plain engine build, naming the file and
the key; a changed answer key in quizzes/ never reaches production."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from rutinportal.cli import main
from rutinportal.content.catalogue import validate

from ..conftest import approved_versions

SNAPSHOT = "approved/RUT-002/v1.md"


@pytest.mark.parametrize("key, old, new", [
    ("mandatory", "mandatory: true", "mandatory: false"),
    ("review_months", "review_months: 12", "review_months: 120"),
    ("approved_by", "approved_by: Ledningsgruppen Utveckling och stöd",
     "approved_by: Någon annan"),
])
def test_an_edited_approved_key_fails_check_and_every_build(example_repo: Path, key, old,
                                                            new) -> None:
    path = example_repo / SNAPSHOT
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert f"{SNAPSHOT}:" in result.output and f": {key}: värdet har ändrats efter " \
        "godkännandet" in result.output, result.output
    build = CliRunner().invoke(main, ["build"])
    assert build.exit_code == 1 and SNAPSHOT in build.output
    plain = subprocess.run([sys.executable, "-m", "properdocs", "build", "-q", "-d", "out"],
                           capture_output=True, text=True, cwd=example_repo)
    assert plain.returncode != 0 and SNAPSHOT in plain.stderr


def test_an_edited_frozen_quiz_fails_check(example_repo: Path) -> None:
    frozen = example_repo / "approved/RUT-001/v2.quiz.yml"
    text = frozen.read_text(encoding="utf-8")
    frozen.write_text(text.replace("correct: true", "correct: false", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1 and "approved/RUT-001/v2" in result.output


def test_a_changed_answer_key_in_quizzes_is_not_published(example_repo: Path) -> None:
    frozen = validate(example_repo).catalogue.snapshots["RUT-001"][-1].quiz
    latest = approved_versions(example_repo, "RUT-001")[-1]
    before = {q.id: q.correct_ids for q in frozen.questions}
    working = example_repo / "quizzes/siths-kort.yml"
    text = working.read_text(encoding="utf-8").replace("        correct: true\n", "")
    working.write_text(text.replace("      - text:", "      - correct: true\n        text:"),
                       encoding="utf-8")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0 and "kunskapstestet quizzes/siths-kort.yml har ändrats " \
        f"sedan version {latest} godkändes" in result.output
    published = next(p for p in validate(example_repo).publications if p.id == "RUT-001")
    assert {q.id: q.correct_ids for q in published.quiz.questions} == before
