"""What people have done, read from the database in a fixed number of queries: who has a
valid record of each requirement, the day of the latest record where it can expire, and the
exceptions.

Aggregated in the database: `people_with` returns one row per person, never one per record
(600,000 acknowledgements for 3,000 people and 200 routines).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, func, not_, or_, select
from sqlalchemy.orm import Session

from ..storage.models import Acknowledgement, AptMeeting, PersonException, QuizAttempt
from ..storage.moments import end_of_day, local_day
from .requirements import Requirement

AWAY, EXTEND = "away", "extend"


def people_with(session: Session, person: Any, key: Any, *where: Any) -> dict[str, set[int]]:
    """Document (or quiz) id → the people with a matching record.

    The database returns one row per person with the ids joined into a string: grouped by
    person, it reads the records from the (person, document, version) index alone, and
    sends 3,000 rows rather than one per record (600,000 for 3,000 people and 200 routines).
    Document and quiz ids never contain a comma (`documents.DOC_ID`, `documents.QUIZ_ID`).
    """
    query = (select(person, func.aggregate_strings(key, ",")).where(*where)
             .group_by(person))
    found: dict[str, list[int]] = defaultdict(list)
    for pk, joined in session.execute(query):
        for item in joined.split(","):
            found[item].append(pk)
    return {item: set(pks) for item, pks in found.items()}


def older_than(column: Any, version: Any, minimum: dict[str, int]) -> list[Any]:
    """A condition leaving out records of versions older than `minimum[id]`, if any.

    Written as an exclusion, not as `document_id IN (...)`: an IN list would lead SQLite to
    the (document, version) index and a slow lookup of every record; the exclusion keeps it
    on the covering (person, document, version) index, already in person order.
    """
    by_minimum: dict[int, list[str]] = defaultdict(list)
    for key, number in minimum.items():
        if number > 1:
            by_minimum[number].append(key)
    if not by_minimum:
        return []
    return [not_(or_(*(and_(column.in_(sorted(keys)), version < number)
                       for number, keys in sorted(by_minimum.items()))))]


def _only(column: Any, only: set[int] | None) -> list[Any]:
    return [] if only is None else [column.in_(sorted(only))]


def acknowledged_by(until: dt.date | None) -> list[Any]:
    """Acknowledgements that count on `until` (None: all): recorded by the end of the day,
    or gone through at a workplace meeting held by then (a meeting counts from its date, as
    the weekly chart counts it)."""
    if until is None:
        return []
    held = select(AptMeeting.id).where(AptMeeting.held_on <= until)
    return [or_(Acknowledgement.acknowledged_at < end_of_day(until),
                Acknowledgement.meeting_id.in_(held))]


def attempted_by(until: dt.date | None) -> list[Any]:
    return [] if until is None else [QuizAttempt.attempted_at < end_of_day(until)]


def _passed_at_version(requirements: list[Requirement]) -> Any:
    return or_(*(and_(QuizAttempt.quiz_id == r.quiz, QuizAttempt.quiz_version == r.quiz_version)
                 for r in requirements))


def completed(session: Session, requirements: list[Requirement],
              only: set[int] | None = None, until: dt.date | None = None,
              where: Sequence[Any] = ()) -> dict[str, set[int]]:
    """Requirement key → the people with a record of the version that counts (expired or
    not: `rules.assess` decides about expiry), recorded by the end of `until` if given. Two
    queries at most. `where`: more conditions on the acknowledgements (`acknowledged` reads
    up to an id)."""
    by_document = [r for r in requirements if not r.quiz]
    by_quiz = [r for r in requirements if r.quiz]
    found: dict[str, set[int]] = {}
    if by_document:
        acked = people_with(
            session, Acknowledgement.person_pk, Acknowledgement.document_id,
            *older_than(Acknowledgement.document_id, Acknowledgement.version,
                        {r.id: r.document.acknowledge_from for r in by_document}),
            *_only(Acknowledgement.person_pk, only), *acknowledged_by(until), *where)
        found.update({r.key: acked.get(r.id, set()) for r in by_document})
    if by_quiz:
        passed = people_with(session, QuizAttempt.person_pk, QuizAttempt.quiz_id,
                             QuizAttempt.passed.is_(True), _passed_at_version(by_quiz),
                             *_only(QuizAttempt.person_pk, only), *attempted_by(until))
        found.update({r.key: passed.get(r.quiz or "", set()) for r in by_quiz})
    return found


def latest_records(session: Session, requirements: list[Requirement],
                   only: set[int] | None = None, until: dt.date | None = None,
                   where: Sequence[Any] = ()) -> dict[tuple[str, int], dt.date]:
    """(requirement key, person) → the day of the latest record that counts, for the
    requirements that expire (`renew_months`), recorded by the end of `until` if given. A
    workplace meeting counts from its date. `where`: more conditions on the
    acknowledgements."""
    renewing = [r for r in requirements if r.renew_months]
    found: dict[tuple[str, int], dt.date] = {}
    by_document = {r.id: r for r in renewing if not r.quiz}
    if by_document:
        rows = session.execute(
            select(Acknowledgement.person_pk, Acknowledgement.document_id,
                   Acknowledgement.version, Acknowledgement.acknowledged_at,
                   AptMeeting.held_on)
            .outerjoin(AptMeeting, AptMeeting.id == Acknowledgement.meeting_id)
            .where(Acknowledgement.document_id.in_(sorted(by_document)),
                   *_only(Acknowledgement.person_pk, only), *acknowledged_by(until), *where))
        for pk, document_id, version, moment, held_on in rows:
            requirement = by_document[document_id]
            if version < requirement.document.acknowledge_from:
                continue
            day = held_on or local_day(moment)
            if until is not None and day > until:
                continue  # gone through at a meeting held after `until`
            key = (requirement.key, pk)
            found[key] = max(found.get(key, day), day)
    by_quiz = [r for r in renewing if r.quiz]
    if by_quiz:
        keys = {r.quiz: r.key for r in by_quiz}
        rows = session.execute(
            select(QuizAttempt.person_pk, QuizAttempt.quiz_id, func.max(QuizAttempt.attempted_at))
            .where(QuizAttempt.passed.is_(True), _passed_at_version(by_quiz),
                   *_only(QuizAttempt.person_pk, only), *attempted_by(until))
            .group_by(QuizAttempt.person_pk, QuizAttempt.quiz_id))
        for pk, quiz_id, moment in rows:
            found[(keys[quiz_id], pk)] = local_day(moment)
    return found


def exceptions(session: Session, only: set[int] | None = None,
               until: dt.date | None = None) -> dict[int, list[PersonException]]:
    """Person → their exceptions in force (not revoked; with `until`: recorded by the end of
    that day and not revoked by then), oldest first. One query."""
    found: dict[int, list[PersonException]] = defaultdict(list)
    if until is None:
        in_force = [PersonException.revoked_at.is_(None)]
    else:
        cutoff = end_of_day(until)
        in_force = [PersonException.recorded_at < cutoff,
                    or_(PersonException.revoked_at.is_(None),
                        PersonException.revoked_at >= cutoff)]
    rows = session.scalars(select(PersonException)
                           .where(*in_force, *_only(PersonException.person_pk, only))
                           .order_by(PersonException.recorded_at, PersonException.id))
    for row in rows:
        found[row.person_pk].append(row)
    return dict(found)


def away_until(items: list[PersonException]) -> dt.date | None:
    return max((e.until for e in items if e.kind == AWAY), default=None)


def extended_until(items: list[PersonException], document_id: str) -> dt.date | None:
    return max((e.until for e in items
                if e.kind == EXTEND and e.document_id in (None, document_id)), default=None)
