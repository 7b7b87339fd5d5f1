"""The registers of evidence: every acknowledgement and every graded quiz attempt, with the
person they belong to, in a stable order and free of database ids.

Two databases hold the same evidence exactly when their registers are equal: the restore
drill compares them before a backup and after its restore, and the evidence bundle (issue 15)
is to write the same rows.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..storage.models import Acknowledgement, Person, QuizAttempt


class AcknowledgementEntry(NamedTuple):
    person_id: str
    document_id: str
    version: int
    renewal: int          # 0: the first of the version; 1: its first renewal, …
    sha256: str
    acknowledged_at: str  # UTC, ISO 8601
    source: str | None


class AttemptEntry(NamedTuple):
    person_id: str
    quiz_id: str
    quiz_version: int
    document_id: str | None
    score: float
    passed: bool
    attempted_at: str  # UTC, ISO 8601
    answers: str       # the answers given, as canonical JSON


@dataclass(frozen=True)
class Registers:
    acknowledgements: tuple[AcknowledgementEntry, ...]
    attempts: tuple[AttemptEntry, ...]


def utc_text(moment: dt.datetime) -> str:
    """SQLite gives back naive datetimes, PostgreSQL aware ones; both are stored in UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).isoformat()


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _order(entry: tuple) -> tuple[str, ...]:
    """A total order, None included: the same rows give the same sequence."""
    return tuple("" if value is None else str(value) for value in entry)


def read_registers(session: Session) -> Registers:
    acknowledgements = [
        AcknowledgementEntry(person_id, a.document_id, a.version, a.renewal, a.sha256,
                             utc_text(a.acknowledged_at), a.source)
        for person_id, a in session.execute(
            select(Person.person_id, Acknowledgement)
            .join(Person, Person.id == Acknowledgement.person_pk))]
    attempts = [
        AttemptEntry(person_id, q.quiz_id, q.quiz_version, q.document_id, q.score, q.passed,
                     utc_text(q.attempted_at), _canonical(q.answers))
        for person_id, q in session.execute(
            select(Person.person_id, QuizAttempt)
            .join(Person, Person.id == QuizAttempt.person_pk))]
    return Registers(tuple(sorted(acknowledgements, key=_order)),
                     tuple(sorted(attempts, key=_order)))
