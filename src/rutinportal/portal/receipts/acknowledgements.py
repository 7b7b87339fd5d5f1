"""Acknowledgements: a person confirms reading one published version of a document.

Append-only and idempotent per person and version (a double click, or two processes racing,
give one record). Every acknowledgement is on disk before it is answered; concurrent ones
share a commit (`storage.group_commit`): one transaction per batch, SQL without ORM objects.
What is recorded: the person, the document and version, the SHA-256 of the published text
the person read, when, where from (`source`), and which renewal of the version it is.

A document that expires (`renew_months`) is owed again while its version stays the same: the
latest record of the person and version decides (`campaigns.rules.renews`). Still settled
(before its renewal window): the acknowledgement is that record, nothing is written. Else a
new record, renewal + 1. Racing requests compute the same number, so the unique (person,
document, version, renewal) still makes them one record. One more query per batch, only
when the batch asks for a document that expires.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, select, tuple_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ...errors import NotPublished, UserError
from ..access.auth import not_on_roster
from ..campaigns.requirements import Requirement
from ..campaigns.rules import renews
from ..published import Published
from ..storage.group_commit import GroupCommit
from ..storage.models import Acknowledgement, AptMeeting, Person, utcnow
from ..storage.moments import local_day

ACKS = Acknowledgement.__table__
MEETINGS = AptMeeting.__table__
PEOPLE = Person.__table__
KEY = ("person_pk", "document_id", "version")
UNIQUE = (*KEY, "renewal")  # the unique constraint: one record per number


@dataclass(frozen=True)
class Wanted:
    """One acknowledgement asked for: who, what, and the text's hash (or why not)."""

    person_id: str
    document_id: str
    version: int
    sha256: str = ""
    refusal: str = ""  # the document or version is not published: nothing is written
    source: str = "web"
    renewing: Requirement | None = None  # the document expires (`renew_months`): see above


@dataclass(frozen=True)
class Receipt:
    document_id: str
    version: int
    acknowledged_at: dt.datetime
    created: bool  # False: the same acknowledgement was there already
    renewal: int = 0  # 0: the first of the version; 1: its first renewal, …


def wanted(published: Published, person_id: str, document_id: str, version: int,
           source: str = "web") -> Wanted:
    """What `person_id` asks for, checked against what is published (no database)."""
    document = published.documents.get(document_id)
    if document is None:
        return Wanted(person_id, document_id, version, source=source, refusal=(
            f"{document_id} är inte publicerat och kan inte kvitteras. Ingenting har "
            "registrerats."))
    if version != document.version:
        return Wanted(person_id, document_id, version, source=source, refusal=(
            f"Version {version} av {document_id} är inte den publicerade versionen (version "
            f"{document.version}). Ladda om sidan och läs den gällande versionen. Ingenting "
            "har registrerats."))
    return Wanted(person_id, document_id, version, document.sha256, source=source,
                  renewing=Requirement(document) if document.renew_months else None)


def _insert(connection: Connection):
    dialect = connection.dialect.name
    return (postgresql_insert if dialect == "postgresql" else sqlite_insert)(ACKS)


@dataclass(frozen=True)
class Latest:
    """The records of one person and version so far: the newest, and the day that counts."""

    renewal: int                   # the highest number
    acknowledged_at: dt.datetime   # the newest record's moment
    day: dt.date                   # the latest day recorded (an APT: the meeting's date)


def latest_of(connection: Connection, keys: Sequence[tuple[int, str, int]]
              ) -> dict[tuple[int, str, int], Latest]:
    """(person, document, version) → its records so far, in one query (none: not there). A
    record's day is its meeting's date, else the local day of its moment, as the ledger
    counts it (`campaigns.records.latest_records`)."""
    found: dict[tuple[int, str, int], Latest] = {}
    if not keys:
        return found
    rows = connection.execute(
        select(ACKS.c.person_pk, ACKS.c.document_id, ACKS.c.version, ACKS.c.renewal,
               ACKS.c.acknowledged_at, MEETINGS.c.held_on)
        .outerjoin(MEETINGS, MEETINGS.c.id == ACKS.c.meeting_id)
        .where(tuple_(*(ACKS.c[k] for k in KEY)).in_(keys)))
    for pk, document_id, version, renewal, moment, held_on in rows:
        key, day = (pk, document_id, version), held_on or local_day(moment)
        before = found.get(key)
        if before is None:
            found[key] = Latest(renewal, moment, day)
        else:
            newer = renewal > before.renewal
            found[key] = Latest(max(renewal, before.renewal),
                                moment if newer else before.acknowledged_at, max(day, before.day))
    return found


def next_renewal(latest: Latest | None, requirement: Requirement | None,
                 today: dt.date) -> int | None:
    """The renewal number a new acknowledgement on `today` gets, or None: the latest record
    stands (it does not expire, or it still settles the requirement: `rules.renews`)."""
    if latest is None:
        return 0
    if requirement is None or not renews(requirement, latest.day, today):
        return None
    return latest.renewal + 1


def record(connection: Connection, batch: Sequence[Wanted],
           now: dt.datetime | None = None) -> list[Receipt | UserError]:
    """Record a batch in the caller's transaction; one outcome per item, in order. `now`:
    the moment recorded (tests give another day).

    A person who is not an active member of the roster gets 403, a version that is not
    published 422 (in that order, as one request alone would); nothing is written for them.
    """
    people = {row.person_id: row for row in connection.execute(
        select(PEOPLE.c.id, PEOPLE.c.person_id, PEOPLE.c.active)
        .where(PEOPLE.c.person_id.in_({w.person_id for w in batch})))}
    outcomes: list[Receipt | UserError | None] = [None] * len(batch)
    keys: dict[tuple[int, str, int], list[int]] = {}  # one row per key, however often asked
    asked: dict[tuple[int, str, int], Wanted] = {}
    now = now or utcnow()
    for index, item in enumerate(batch):
        person = people.get(item.person_id)
        if person is None or not person.active:
            outcomes[index] = not_on_roster(item.person_id)
        elif item.refusal:
            outcomes[index] = NotPublished(item.refusal)
        else:
            key = (person.id, item.document_id, item.version)
            asked.setdefault(key, item)
            keys.setdefault(key, []).append(index)
    latest = latest_of(connection, [k for k, item in asked.items() if item.renewing])
    today = local_day(now)
    numbers: dict[tuple[int, str, int], int] = {}  # the record each key is answered with
    moments: dict[tuple[int, str, int], dt.datetime] = {}
    rows = []
    for key, item in asked.items():
        number = next_renewal(latest.get(key), item.renewing, today)
        if number is None:  # the latest record stands: it is the answer
            numbers[key], moments[key] = latest[key].renewal, latest[key].acknowledged_at
            continue
        numbers[key] = number
        rows.append({"person_pk": key[0], "document_id": key[1], "version": key[2],
                     "renewal": number, "sha256": item.sha256, "source": item.source,
                     "acknowledged_at": now})
    created: set[tuple[int, str, int]] = set()
    if rows:
        statement = _insert(connection).on_conflict_do_nothing(index_elements=list(UNIQUE)) \
            .returning(ACKS.c.person_pk, ACKS.c.document_id, ACKS.c.version)
        created = {tuple(row) for row in connection.execute(statement, rows)}
    moments.update({key: now for key in created})
    existing = [(*key, numbers[key]) for key in keys if key not in moments]
    if existing:  # there already: the same acknowledgement, or a racing request's
        moments.update({(r.person_pk, r.document_id, r.version): r.acknowledged_at
                        for r in connection.execute(
                            select(ACKS.c.person_pk, ACKS.c.document_id, ACKS.c.version,
                                   ACKS.c.acknowledged_at)
                            .where(tuple_(*(ACKS.c[k] for k in UNIQUE)).in_(existing)))})
    for key, indexes in keys.items():
        first = key in created
        for n, index in enumerate(indexes):
            # The first of a key's requests created it; a second click in the same batch
            # finds it there, as it would a moment later.
            outcomes[index] = Receipt(key[1], key[2], moments[key], first and n == 0,
                                      numbers[key])
    return outcomes  # type: ignore[return-value]


Writer = GroupCommit[Wanted, Receipt]


def writer(engine: Engine) -> Writer:
    """The process's acknowledgement writer (one per engine)."""
    return GroupCommit(engine, record)
