"""Acknowledgements, quiz attempts and a person's own status: the portal's domain logic.

No HTTP here: the API routes call these functions with a session and a person. Records are
append-only; an acknowledgement is idempotent per person and version (a double click, or two
processes racing, give one record).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from .. import quiz as quiz_module
from ..errors import UserError
from .db import write_lock
from .models import Acknowledgement, Person, QuizAttempt, utcnow
from .published import Published


class NotPublished(UserError):
    """The document, version or quiz is not published; nothing was recorded."""

    status_code = 422


def audiences_of(person: Person) -> set[str]:
    """Everyone is in `alla`; then their units and roles."""
    return {"alla", *person.units, *person.roles}


def acknowledge(session: Session, person: Person, published: Published, document_id: str,
                version: int, source: str = "web") -> tuple[Acknowledgement, bool]:
    """Record that `person` read `version` of a published document; (record, created)."""
    document = published.documents.get(document_id)
    if document is None:
        raise NotPublished(f"{document_id} är inte publicerat och kan inte kvitteras. "
                           "Ingenting har registrerats.")
    if version != document.version:
        raise NotPublished(f"Version {version} av {document_id} är inte den publicerade "
                           f"versionen (version {document.version}). Ladda om sidan och läs "
                           "den gällande versionen. Ingenting har registrerats.")
    query = select(Acknowledgement).where(Acknowledgement.person_pk == person.id,
                                          Acknowledgement.document_id == document_id,
                                          Acknowledgement.version == version)
    engine = session.get_bind()
    # One statement: insert unless this person already acknowledged this version (a double
    # click, or two processes racing, give one record). Then read back what is stored.
    insert = dialect_insert(engine)(Acknowledgement).values(
        person_pk=person.id, document_id=document_id, version=version,
        sha256=document.sha256, source=source, acknowledged_at=utcnow(),
    ).on_conflict_do_nothing(index_elements=["person_pk", "document_id", "version"])
    with write_lock(engine):
        record = session.scalars(insert.returning(Acknowledgement)).first()
        session.commit()
    if record is not None:
        return record, True
    return session.scalars(query).one(), False


def dialect_insert(engine):
    return postgresql_insert if engine.dialect.name == "postgresql" else sqlite_insert


@dataclass
class AttemptResult:
    attempt: QuizAttempt
    grade: quiz_module.Grade


def record_attempt(session: Session, person: Person, published: Published, quiz_id: str,
                   answers: dict[str, Any]) -> AttemptResult:
    quiz = published.quizzes.get(quiz_id)
    if quiz is None:
        raise NotPublished(f"Kunskapstestet '{quiz_id}' är inte publicerat. "
                           "Ingenting har registrerats.")
    grade = quiz_module.grade(quiz, answers)  # raises InvalidAnswers for unknown ids
    attempt = QuizAttempt(person_pk=person.id, quiz_id=quiz_id, quiz_version=quiz.version,
                          document_id=published.quiz_documents.get(quiz_id),
                          answers={k: sorted(set([v] if isinstance(v, str) else v))
                                   for k, v in answers.items()},
                          score=grade.score, passed=grade.passed)
    with write_lock(session.get_bind()):
        session.add(attempt)
        session.commit()
    return AttemptResult(attempt, grade)


def _iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite returns naive datetimes: they are stored in UTC
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.isoformat()


def summary(session: Session, person: Person, published: Published) -> dict[str, Any]:
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
    audiences = audiences_of(person)
    acknowledged, due_ack, due_training = [], [], []
    for document in published.documents.values():
        ack = latest_ack.get(document.id)
        current = ack is not None and ack.version >= document.acknowledge_from
        if ack is not None:
            acknowledged.append({
                "document_id": document.id, "title": document.title, "url": document.url,
                "version": ack.version, "acknowledged_at": _iso(ack.acknowledged_at),
                "current": current, "published_version": document.version})
        if not document.mandatory or not published.audience_of(audiences, document):
            continue
        item = {"document_id": document.id, "title": document.title, "url": document.url,
                "version": document.version}
        if document.kind == "routine" and not current:
            item["reason"] = "ny version" if ack is not None else "ej kvitterad"
            due_ack.append(item)
        elif document.kind == "training":
            done = (document.quiz in passed) if document.quiz else current
            if not done:
                item["quiz"] = document.quiz
                due_training.append(item)
    return {
        "person": {"person_id": person.person_id, "name": person.name, "email": person.email,
                   "units": person.units, "roles": person.roles, "manages": person.manages},
        "audiences": sorted(audiences),
        "acknowledged": sorted(acknowledged, key=lambda a: a["document_id"]),
        "passed": [{"quiz_id": q, "version": a.quiz_version, "score": a.score,
                    "passed_at": _iso(a.attempted_at)} for q, a in sorted(passed.items())],
        "attempted": [{"quiz_id": q, "score": a.score, "passed": a.passed,
                       "attempted_at": _iso(a.attempted_at)} for q, a in sorted(tried.items())],
        "due": {"acknowledgements": due_ack, "training": due_training},
    }
