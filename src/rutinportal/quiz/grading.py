"""Grading an attempt: exact, on the server (production pages never carry the key).

A question is right only when the chosen set of choices is exactly the set of correct ones;
unanswered questions are wrong; an unknown question or choice raises `InvalidAnswers`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..content.quizzes import Quiz
from ..content.schema import describe
from ..errors import InvalidAnswers



@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    correct: bool
    explanation: str | None
    correct_choice_ids: list[str]


@dataclass(frozen=True)
class Grade:
    score: float  # 0..1
    passed: bool
    correct_count: int
    total: int
    results: list[QuestionResult]

    def as_dict(self) -> dict[str, Any]:
        """The body of the portal's attempt response, as the page's script reads it.

        Leaves out the correct choice ids: the explanation is the feedback, and handing out
        the key would let the next attempt pass without reading the routine.
        """
        return {"score": self.score, "passed": self.passed,
                "correct_count": self.correct_count, "total": self.total,
                "results": [{"question_id": r.question_id, "correct": r.correct,
                             "explanation": r.explanation} for r in self.results]}


def _chosen(quiz: Quiz, answers: Any) -> dict[str, frozenset[str]]:
    if not isinstance(answers, Mapping):
        raise InvalidAnswers("förväntade svaren som en tabell från fråge-id till en lista med "
                             f"svarsalternativ-id, fick {describe(answers)}")
    questions = {q.id: q for q in quiz.questions}
    chosen: dict[str, frozenset[str]] = {}
    for question_id, ids in answers.items():
        question = questions.get(question_id) if isinstance(question_id, str) else None
        if question is None:
            raise InvalidAnswers(f"okänd fråga {describe(question_id)} i quizen '{quiz.id}'")
        if isinstance(ids, str):  # one id, not an iterable of its characters
            ids = [ids]
        if not isinstance(ids, Iterable) or isinstance(ids, Mapping):
            raise InvalidAnswers(f"förväntade en lista med svarsalternativ-id för frågan "
                                 f"'{question_id}', fick {describe(ids)}")
        valid = {c.id for c in question.choices}
        picked = set()
        for cid in ids:
            if not isinstance(cid, str) or cid not in valid:
                raise InvalidAnswers(
                    f"okänt svarsalternativ {describe(cid)} i frågan '{question_id}'")
            picked.add(cid)
        chosen[question_id] = frozenset(picked)
    return chosen


def grade(quiz: Quiz, answers: Mapping[str, Iterable[str]]) -> Grade:
    """Grade one attempt. Unanswered questions are wrong; unknown ids raise InvalidAnswers."""
    chosen = _chosen(quiz, answers)
    results = [QuestionResult(q.id, chosen.get(q.id, frozenset()) == q.correct_ids,
                              q.explanation, [c.id for c in q.choices if c.correct])
               for q in quiz.questions]
    right, total = sum(r.correct for r in results), len(results)
    share = Fraction(right, total) if total else Fraction(0)
    # Exact arithmetic: 4 of 5 must pass a pass mark of 0.8, which as a float is not 4/5.
    passed = total > 0 and share >= Fraction(str(quiz.pass_mark))
    return Grade(float(share), passed, right, total, results)


