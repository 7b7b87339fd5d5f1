"""Quiz attempts: handed out by the server, graded once, stored with the answers. Append-only.

An attempt starts on the server (`start_attempt`): the questions are drawn (`draw: N`) and
their choices shuffled (`quiz.drawing`), and stored as an issued attempt. Answers are graded
only against that attempt, only by the person it was issued to, and only once
(`record_attempt`); starting again replaces an attempt not yet answered, so there is one
open attempt per person and quiz. The answer is the score and which questions were wrong,
with their explanations — never which choice is right.

After `FAILURES_BEFORE_PAUSE` failed attempts in a row, the next attempt can start only after
a pause (`RUTINPORTAL_QUIZ_COOLDOWN_MINUTES`, default 10): a script can no longer try its
way through a quiz in a minute.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
from dataclasses import dataclass, replace
from random import Random
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ...errors import LifecycleError, NotPublished, UserError
from ...quiz.drawing import DrawnQuestion, draw
from ...quiz.grading import Grade, grade
from ..published import Published
from ..storage.db import write_lock
from ..storage.models import IssuedAttempt, Person, QuizAttempt, utcnow

FAILURES_BEFORE_PAUSE = 3
GRADED, SUPERSEDED = "graded", "superseded"

NO_SUCH_ATTEMPT = ("Försöket finns inte för dig i det här kunskapstestet. Starta testet igen "
                   "(ladda om sidan). Ingenting har registrerats.")
ALREADY_GRADED = ("Det här försöket är redan rättat; ett försök rättas bara en gång. Välj "
                  "”Försök igen” för ett nytt försök. Ingenting har registrerats.")
REPLACED = ("Det här försöket har ersatts av ett nyare (testet startades igen, kanske i en "
            "annan flik). Ladda om sidan och svara på frågorna där. Ingenting har "
            "registrerats.")
CHANGED = ("Kunskapstestet har ändrats sedan försöket startade. Ladda om sidan och gör det "
           "nya testet. Ingenting har registrerats.")
PAUSE = ("Du har gjort {failures} försök i rad utan att bli godkänd. Läs igenom materialet "
         "igen; du kan göra ett nytt försök om {minutes}.")


class CoolingDown(UserError):
    """Too many failed attempts in a row: try again after the pause (429, Retry-After)."""

    status_code = 429

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(retry_after)}


@dataclass
class Issued:
    attempt: IssuedAttempt
    questions: list[DrawnQuestion]


@dataclass
class AttemptResult:
    attempt: QuizAttempt
    grade: Grade


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def _published_quiz(published: Published, quiz_id: str):
    quiz = published.quizzes.get(quiz_id)
    if quiz is None:
        raise NotPublished(f"Kunskapstestet '{quiz_id}' är inte publicerat. "
                           "Ingenting har registrerats.")
    return quiz


def _minutes(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return "en minut" if minutes == 1 else f"{minutes} minuter"


def pause_until(session: Session, person: Person, quiz_id: str, cooldown: dt.timedelta,
                now: dt.datetime | None = None) -> tuple[dt.datetime, int] | None:
    """When the pause after failed attempts in a row ends (and how many), or None.

    Every `FAILURES_BEFORE_PAUSE`-th failure in a row since the last pass starts a pause.
    """
    now = now or utcnow()
    mine = (QuizAttempt.person_pk == person.id, QuizAttempt.quiz_id == quiz_id)
    last_pass = session.scalar(select(func.max(QuizAttempt.attempted_at))
                               .where(*mine, QuizAttempt.passed.is_(True)))
    since = [QuizAttempt.attempted_at > last_pass] if last_pass is not None else []
    failures, latest = session.execute(
        select(func.count(), func.max(QuizAttempt.attempted_at))
        .where(*mine, QuizAttempt.passed.is_(False), *since)).one()
    if not failures or failures % FAILURES_BEFORE_PAUSE or latest is None:
        return None
    until = _aware(latest) + cooldown
    return (until, failures) if until > now else None


def start_attempt(session: Session, person: Person, published: Published, quiz_id: str,
                  cooldown: dt.timedelta, rng: Random | None = None) -> Issued:
    """Hand out a new attempt: questions drawn, choices shuffled; replaces an open one."""
    quiz = _published_quiz(published, quiz_id)
    now = utcnow()
    paused = pause_until(session, person, quiz_id, cooldown, now)
    if paused is not None:
        until, failures = paused
        seconds = math.ceil((until - now).total_seconds())
        raise CoolingDown(PAUSE.format(failures=failures, minutes=_minutes(seconds)), seconds)
    questions = draw(quiz, published.sources, rng)
    attempt = IssuedAttempt(
        token=secrets.token_urlsafe(24), person_pk=person.id, quiz_id=quiz_id,
        quiz_version=quiz.version, issued_at=now,
        questions=[{"id": d.question.id, "choices": [c.id for c in d.choices]}
                   for d in questions])
    with write_lock(session.get_bind()):
        session.execute(update(IssuedAttempt)
                        .where(IssuedAttempt.person_pk == person.id,
                               IssuedAttempt.quiz_id == quiz_id,
                               IssuedAttempt.closed_at.is_(None))
                        .values(closed_at=now, outcome=SUPERSEDED))
        session.add(attempt)
        session.commit()
    return Issued(attempt, questions)


def _issued(session: Session, person: Person, quiz_id: str, attempt_id: str) -> IssuedAttempt:
    attempt = session.scalars(select(IssuedAttempt).where(
        IssuedAttempt.token == attempt_id, IssuedAttempt.person_pk == person.id,
        IssuedAttempt.quiz_id == quiz_id)).first()
    if attempt is None:
        raise UserError(NO_SUCH_ATTEMPT, 422)
    if attempt.closed_at is not None:
        raise LifecycleError(ALREADY_GRADED if attempt.outcome == GRADED else REPLACED)
    return attempt


def record_attempt(session: Session, person: Person, published: Published, quiz_id: str,
                   attempt_id: str, answers: dict[str, Any]) -> AttemptResult:
    """Grade the answers to an issued attempt, once, and store them."""
    quiz = _published_quiz(published, quiz_id)
    issued = _issued(session, person, quiz_id, attempt_id)
    if issued.quiz_version != quiz.version:
        raise LifecycleError(CHANGED)
    by_id = {q.id: q for q in quiz.questions}
    asked = tuple(by_id[item["id"]] for item in issued.questions if item["id"] in by_id)
    result = grade(replace(quiz, questions=asked), answers)  # InvalidAnswers: not asked
    now = utcnow()
    attempt = QuizAttempt(person_pk=person.id, quiz_id=quiz_id, quiz_version=quiz.version,
                          document_id=published.quiz_documents.get(quiz_id),
                          answers={k: sorted(set([v] if isinstance(v, str) else v))
                                   for k, v in answers.items()},
                          score=result.score, passed=result.passed, attempted_at=now)
    with write_lock(session.get_bind()):
        # Closing and recording in one transaction: of two answers racing, one is graded.
        closed = session.execute(update(IssuedAttempt)
                                 .where(IssuedAttempt.id == issued.id,
                                        IssuedAttempt.closed_at.is_(None))
                                 .values(closed_at=now, outcome=GRADED))
        if closed.rowcount != 1:
            session.rollback()
            raise LifecycleError(ALREADY_GRADED)
        session.add(attempt)
        session.commit()
    return AttemptResult(attempt, result)
