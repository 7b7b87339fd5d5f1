"""Combined quizzes: question ids namespaced, choice ids kept, version a fingerprint."""

from __future__ import annotations

import pytest

from rutinportal.content.quizzes import Quiz
from rutinportal.quiz.combining import combine, combined_version
from rutinportal.quiz.grading import grade

from ..quizhelpers import GOOD, load


@pytest.fixture(scope="module")
def siths() -> Quiz:
    return load(GOOD / "siths-kort.yml")


# -- combined quizzes ------------------------------------------------------------------------------

def test_combine_namespaces_question_ids_and_keeps_choice_ids(siths):
    other = load(GOOD / "losenord.yml")
    combined = combine("lasning-hemtjanst", "Kunskapstest: läslistan", [siths, other])
    assert (combined.id, combined.title, combined.pass_mark, combined.path) == \
        ("lasning-hemtjanst", "Kunskapstest: läslistan", 0.8, None)
    assert [q.id for q in combined.questions] == [
        "siths-kort--lana-ut", "siths-kort--lamna-datorn", "siths-kort--q3", "losenord--q1"]
    assert combined.questions[0].choices == siths.questions[0].choices
    answers = {q.id: sorted(q.correct_ids) for q in combined.questions}
    assert grade(combined, answers).passed


def test_combined_version_is_a_fingerprint_of_source_ids_and_versions(siths):
    other = load(GOOD / "losenord.yml")
    version = combine("x", "X", [siths, other]).version
    assert isinstance(version, int) and 0 < version < 2**31
    assert version == combined_version([siths, other])
    assert combine("x", "X", [other, siths]).version == version   # order is not content
    assert combine("x", "X", [siths, other, siths]).version == version   # a source once
    bumped = Quiz(other.id, other.title, other.version + 1, other.pass_mark, other.questions,
                  other.path)
    assert combine("x", "X", [siths, bumped]).version != version
    assert combine("x", "X", [siths]).version != version


def test_combine_uses_a_repeated_source_once(siths):
    combined = combine("x", "X", [siths, siths], pass_mark=0.5)
    assert len(combined.questions) == 3 and combined.pass_mark == 0.5


def test_combine_needs_a_source():
    with pytest.raises(ValueError):
        combine("x", "X", [])
