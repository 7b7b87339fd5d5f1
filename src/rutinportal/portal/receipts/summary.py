"""A person's own status: what they acknowledged and passed, and what is still due.

`/api/me` answers with `Me` and `/min-sida/` shows it. No HTTP here.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...content.documents import Kind
from ...content.organisation import person_audiences, reaches
from ..published import Published
from ..storage.models import Acknowledgement, Person, QuizAttempt


class PersonOut(BaseModel):
    person_id: str
    name: str
    email: str | None
    units: list[str]
    roles: list[str]
    manages: list[str]


class AcknowledgedOut(BaseModel):
    document_id: str
    title: str
    url: str
    version: int = Field(description="Den kvitterade versionen")
    acknowledged_at: str | None
    current: bool = Field(description="Kvittensen gäller den publicerade versionen")
    published_version: int


class PassedOut(BaseModel):
    quiz_id: str
    version: int
    score: float
    passed_at: str | None


class AttemptedOut(BaseModel):
    quiz_id: str
    score: float
    passed: bool
    attempted_at: str | None


class DueItem(BaseModel):
    document_id: str
    title: str
    url: str
    version: int
    reason: str | None = Field(None, description="\"ej kvitterad\" eller \"ny version\"")
    quiz: str | None = None


class DueOut(BaseModel):
    acknowledgements: list[DueItem]
    training: list[DueItem]


class Me(BaseModel):
    """The person, their audiences, what they acknowledged and passed, and what is due."""

    person: PersonOut
    audiences: list[str]
    acknowledged: list[AcknowledgedOut]
    passed: list[PassedOut]
    attempted: list[AttemptedOut]
    due: DueOut


def iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite returns naive datetimes: they are stored in UTC
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.isoformat()


def summary(session: Session, person: Person, published: Published) -> Me:
    """Everything `/api/me` and `/min-sida/` show: acknowledged, passed and due."""
    acks = session.scalars(select(Acknowledgement)
                           .where(Acknowledgement.person_pk == person.id)
                           .order_by(Acknowledgement.acknowledged_at)).all()
    latest_ack: dict[str, Acknowledgement] = {}
    for ack in acks:
        if ack.document_id not in latest_ack or ack.version >= latest_ack[ack.document_id].version:
            latest_ack[ack.document_id] = ack
    attempts = session.scalars(select(QuizAttempt)
                               .where(QuizAttempt.person_pk == person.id)
                               .order_by(QuizAttempt.attempted_at)).all()
    passed: dict[str, QuizAttempt] = {}
    tried: dict[str, QuizAttempt] = {}
    for attempt in attempts:
        quiz = published.quizzes.get(attempt.quiz_id)
        if quiz is None or attempt.quiz_version != quiz.version:
            continue
        tried[attempt.quiz_id] = attempt
        if attempt.passed and attempt.quiz_id not in passed:
            passed[attempt.quiz_id] = attempt
    audiences = person_audiences(person.units, person.roles)
    acknowledged, due_ack, due_training = [], [], []
    for document in published.documents.values():
        ack = latest_ack.get(document.id)
        current = ack is not None and ack.version >= document.acknowledge_from
        if ack is not None:
            acknowledged.append(AcknowledgedOut(
                document_id=document.id, title=document.title, url=document.url,
                version=ack.version, acknowledged_at=iso(ack.acknowledged_at),
                current=current, published_version=document.version))
        if not document.mandatory or not reaches(document.audience, audiences):
            continue
        item = DueItem(document_id=document.id, title=document.title, url=document.url,
                       version=document.version)
        if document.kind is Kind.ROUTINE and not current:
            item.reason = "ny version" if ack is not None else "ej kvitterad"
            due_ack.append(item)
        elif document.kind is Kind.TRAINING:
            done = (document.quiz in passed) if document.quiz else current
            if not done:
                item.quiz = document.quiz
                due_training.append(item)
    return Me(
        person=PersonOut(person_id=person.person_id, name=person.name, email=person.email,
                         units=person.units, roles=person.roles, manages=person.manages),
        audiences=sorted(audiences),
        acknowledged=sorted(acknowledged, key=lambda a: a.document_id),
        passed=[PassedOut(quiz_id=q, version=a.quiz_version, score=a.score,
                          passed_at=iso(a.attempted_at)) for q, a in sorted(passed.items())],
        attempted=[AttemptedOut(quiz_id=q, score=a.score, passed=a.passed,
                                attempted_at=iso(a.attempted_at))
                   for q, a in sorted(tried.items())],
        due=DueOut(acknowledgements=due_ack, training=due_training),
    )
