"""Quizzes for the tests: the fixture files and small quizzes made in code."""

from __future__ import annotations

from pathlib import Path

from rutinportal.content.problems import display_path
from rutinportal.content.quizzes import Choice, Question, Quiz, choice_id, load_quiz

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "quizzes_good"
BAD = FIXTURES / "quizzes_bad"


def load(path: Path) -> Quiz:
    quiz, problems = load_quiz(path, display_path(path, FIXTURES))
    assert problems == []
    assert quiz is not None
    return quiz


def ids(quiz: Quiz, question_id: str, *texts: str) -> list[str]:
    """Choice ids by the start of their text, so the tables below read as answers."""
    question = next(q for q in quiz.questions if q.id == question_id)
    return [next(c.id for c in question.choices if c.text.startswith(t)) for t in texts]


def make_quiz(n: int, pass_mark: float) -> Quiz:
    """n single-answer questions whose right answer is "Rätt"."""
    questions = tuple(
        Question(f"q{i}", f"Fråga {i}?",
                 (Choice(choice_id("t", f"q{i}", "Rätt"), "Rätt", True),
                  Choice(choice_id("t", f"q{i}", "Fel"), "Fel", False)), None, False)
        for i in range(1, n + 1))
    return Quiz("t", "T", 1, pass_mark, questions, None)


def right_answers(quiz: Quiz, count: int) -> dict[str, list[str]]:
    return {q.id: sorted(q.correct_ids) for q in quiz.questions[:count]}
