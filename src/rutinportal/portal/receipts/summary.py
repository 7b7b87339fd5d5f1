"""A person's own status: what they acknowledged and passed, and what they owe by when.

`/api/me` answers with `Me` and `/min-sida/` shows it (Att göra first). What is owed comes
from the campaigns ledger, as everywhere. No HTTP here.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..campaigns.ledger import build_ledger
from ..campaigns.rules import Obligation, State
from ...content.organisation import person_audiences
from ..published import Published
from ..storage.models import Acknowledgement, AptMeeting, Person, QuizAttempt
from ..storage.moments import iso


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
    source: str | None = Field(None, description="\"web\" eller \"apt\" (arbetsplatsträff)")
    meeting_on: str | None = Field(None, description="APT: dagen för genomgången")
    witness: str | None = Field(None, description="APT: chefen som var vittne")
    renewal: int = Field(0, description="0: versionens första kvittens; 1: dess första "
                                        "förnyelse osv. (den senaste visas)")


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
    reason: str | None = Field(None, description="\"ej kvitterad\", \"ny version\" eller "
                                                 "\"förnyas\"")
    quiz: str | None = None
    due_on: str = Field(description="Ska vara gjort senast denna dag")
    overdue: bool = Field(description="Dagen har passerat")
    valid_until: str | None = Field(None, description="Förnyelse: den nuvarande gäller hit")


class DueOut(BaseModel):
    acknowledgements: list[DueItem]
    training: list[DueItem]
    away_until: str | None = Field(None, description="Registrerad som frånvarande till och "
                                                     "med denna dag: inget räknas som sent")


class Me(BaseModel):
    """The person, their audiences, what they acknowledged and passed, and what is due."""

    person: PersonOut
    audiences: list[str]
    acknowledged: list[AcknowledgedOut]
    passed: list[PassedOut]
    attempted: list[AttemptedOut]
    due: DueOut


def _due_item(obligation: Obligation, acknowledged: dict[str, Acknowledgement]) -> DueItem:
    requirement = obligation.requirement
    document = requirement.document
    if obligation.renewal:
        reason = "förnyas"
    elif document.id in acknowledged and not requirement.quiz:
        reason = "ny version"
    else:
        reason = "ej kvitterad"
    return DueItem(document_id=document.id, title=document.title, url=document.url,
                   version=document.version, reason=reason, quiz=requirement.quiz,
                   due_on=obligation.due.isoformat(), overdue=obligation.overdue,
                   valid_until=obligation.valid_until.isoformat()
                   if obligation.valid_until else None)


def summary(session: Session, person: Person, published: Published,
            today: dt.date | None = None) -> Me:
    """Everything `/api/me` and `/min-sida/` show: acknowledged, passed and owed."""
    today = today or dt.date.today()
    rows = session.execute(select(Acknowledgement, AptMeeting.held_on, Person.name)
                           .outerjoin(AptMeeting, AptMeeting.id == Acknowledgement.meeting_id)
                           .outerjoin(Person, Person.id == AptMeeting.witness_pk)
                           .where(Acknowledgement.person_pk == person.id)
                           .order_by(Acknowledgement.version, Acknowledgement.renewal,
                                     Acknowledgement.acknowledged_at)).all()
    # The newest record of each document: of its highest version, the latest renewal.
    latest_ack: dict[str, tuple[Acknowledgement, dt.date | None, str | None]] = {
        ack.document_id: (ack, held_on, witness) for ack, held_on, witness in rows}
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
    acknowledged = []
    for document in published.documents.values():
        if document.id not in latest_ack:
            continue
        ack, held_on, witness = latest_ack[document.id]
        acknowledged.append(AcknowledgedOut(
            document_id=document.id, title=document.title, url=document.url,
            version=ack.version, acknowledged_at=iso(ack.acknowledged_at),
            current=ack.version >= document.acknowledge_from,
            published_version=document.version, source=ack.source,
            meeting_on=held_on.isoformat() if held_on else None, witness=witness,
            renewal=ack.renewal))
    ledger = build_ledger(session, published, today, only={person.id})
    owed = ledger.of(person.id) if person.active else []
    plain = {k: v[0] for k, v in latest_ack.items()}
    due_ack = [_due_item(o, plain) for o in owed if o.requirement.routine]
    due_training = [_due_item(o, plain) for o in owed if not o.requirement.routine]
    away = [o for o in owed if o.state is State.AWAY]
    away_until = max((e.until for e in ledger.exceptions.get(person.id, [])
                      if e.kind == "away" and e.until >= today), default=None) if away else None
    audiences = person_audiences(person.units, person.roles)
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
        due=DueOut(acknowledgements=due_ack, training=due_training,
                   away_until=away_until.isoformat() if away_until else None),
    )
