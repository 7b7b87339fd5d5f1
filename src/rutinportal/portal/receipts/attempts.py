"""Quiz attempts: graded on the server and stored with the answers given. Append-only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ...errors import NotPublished
from ...quiz.grading import Grade, grade
from ..published import Published
from ..storage.db import write_lock
from ..storage.models import Person, QuizAttempt


@dataclass
class AttemptResult:
    attempt: QuizAttempt
    grade: Grade


def record_attempt(session: Session, person: Person, published: Published, quiz_id: str,
                   answers: dict[str, Any]) -> AttemptResult:
    quiz = published.quizzes.get(quiz_id)
    if quiz is None:
        raise NotPublished(f"Kunskapstestet '{quiz_id}' är inte publicerat. "
                           "Ingenting har registrerats.")
    result = grade(quiz, answers)  # raises InvalidAnswers for unknown ids
    attempt = QuizAttempt(person_pk=person.id, quiz_id=quiz_id, quiz_version=quiz.version,
                          document_id=published.quiz_documents.get(quiz_id),
                          answers={k: sorted(set([v] if isinstance(v, str) else v))
                                   for k, v in answers.items()},
                          score=result.score, passed=result.passed)
    with write_lock(session.get_bind()):
        session.add(attempt)
        session.commit()
    return AttemptResult(attempt, result)
