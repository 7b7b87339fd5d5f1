"""Fill a portal database fast: people, memberships and acknowledgements by bulk insert.

The schema comes from the portal's own migrations (`storage.migrate.upgrade`); rows go in with
SQLAlchemy Core `insert()` and lists of parameters (executemany; on PostgreSQL SQLAlchemy
batches them into multi-row INSERTs), in chunks, one transaction per chunk.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, insert, text

from rutinportal.portal.storage.migrate import upgrade
from rutinportal.portal.storage.models import (Acknowledgement, AptAttendance, AptMeeting,
                                               Membership, Person)

CHUNK = 20_000
LEADER = "p00000"  # role sektorsledning: sees every unit on /uppfoljning/


@dataclass(frozen=True)
class Roster:
    person_ids: list[str]          # "p00000", … in primary-key order (pk = index + 1)
    units: dict[str, str]          # person id -> unit
    managers: dict[str, list[int]] = field(default_factory=dict)  # unit -> managers' pks
    left: frozenset[int] = frozenset()  # pks of people who left (inactive)


@dataclass(frozen=True)
class Document:
    """A published routine as `catalog.json` has it."""

    id: str
    version: int
    sha256: str
    approved_on: dt.date
    mandatory: bool
    renew_months: int | None
    quiz: str | None
    audience: tuple[str, ...] = ()


@dataclass(frozen=True)
class Meeting:
    id: int
    held_on: dt.date
    recorded_at: dt.datetime
    documents: frozenset[str]


@dataclass(frozen=True)
class Meetings:
    by_unit: dict[str, list[Meeting]]


def fill_meetings(engine: Engine, roster: Roster, documents: list[Document],
                  seed: int = 3) -> Meetings:
    """Two workplace meetings (APT) per unit with a manager, each going through ten of the
    routines, held 20 to 200 days ago and witnessed by a manager of the unit."""
    rng = random.Random(seed)
    now = dt.datetime.now(dt.timezone.utc)
    by_unit: dict[str, list[Meeting]] = {}
    rows = []
    for unit, managers in sorted(roster.managers.items()):
        for _ in range(2):
            chosen = rng.sample(documents, min(10, len(documents)))
            held_on = (now - dt.timedelta(days=rng.randint(20, 200))).date()
            recorded = dt.datetime.combine(held_on, dt.time(15), dt.timezone.utc)
            meeting = Meeting(len(rows) + 1, held_on, recorded,
                              frozenset(d.id for d in chosen))
            by_unit.setdefault(unit, []).append(meeting)
            rows.append({"id": meeting.id, "unit_id": unit, "held_on": held_on,
                         "witness_pk": rng.choice(managers), "recorded_at": recorded,
                         "documents": [{"id": d.id, "version": d.version} for d in chosen],
                         "quiz_id": None})
    insert_rows(engine, AptMeeting.__table__, rows)
    _sync_sequence(engine, "apt_meetings")
    return Meetings(by_unit)


def _chunks(rows: Iterable[dict], size: int = CHUNK) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def insert_rows(engine: Engine, table, rows: Iterable[dict]) -> int:
    count = 0
    for chunk in _chunks(rows):
        with engine.begin() as connection:
            connection.execute(insert(table), chunk)
        count += len(chunk)
    return count


def published_documents(site: Path) -> list[Document]:
    """The built site's routines, as an acknowledgement records them."""
    data = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    return [Document(d["id"], d["version"], d["sha256"],
                     dt.date.fromisoformat(d["acknowledge_from_approved_on"]
                                           or d["approved_on"]),
                     d["mandatory"], d.get("renew_months"), d.get("quiz"),
                     tuple(d["audience"]))
            for d in data["documents"] if d["kind"] == "routine"]


def fill_people(engine: Engine, count: int, units: list[str], seed: int = 1,
                history: bool = False) -> Roster:
    """`count` people spread over `units`; every 40th a manager of their unit; the first
    five sector leadership. Everybody has the role `alla`, as a roster import stores.

    With `history`, as a roster looks after some years: everybody on it since 500 days ago
    but 5 % who joined in the last 60 days, 3 % who left (inactive), a few DISK,
    system administrators and coordinators. Without, all are active and joined today."""
    upgrade(engine)
    rng = random.Random(seed)
    now = dt.datetime.now(dt.timezone.utc)
    ids = [f"p{n:05d}" for n in range(count)]
    unit_of = {pid: units[n % len(units)] for n, pid in enumerate(ids)}
    joined = {n: now for n in range(count)}
    left: set[int] = set()
    if history:
        for n in range(count):
            recent = rng.random() < 0.05
            joined[n] = now - dt.timedelta(days=rng.randint(1, 60) if recent else 500)
            if n >= 5 and rng.random() < 0.03:
                left.add(n + 1)
    insert_rows(engine, Person.__table__, (
        {"id": n + 1, "person_id": pid, "name": f"Person {n}", "email": f"{pid}@example.org",
         "active": n + 1 not in left, "created_at": joined[n], "updated_at": joined[n],
         "deactivated_at": now - dt.timedelta(days=30) if n + 1 in left else None}
        for n, pid in enumerate(ids)))
    managers: dict[str, list[int]] = {}
    extra_roles = [("disk", 0.01), ("systemforvaltare", 0.01), ("samordnare", 0.002)] \
        if history else []

    def memberships() -> Iterator[dict]:
        for n, pid in enumerate(ids):
            pk, since = n + 1, joined[n]
            yield {"person_pk": pk, "kind": "unit", "audience_id": unit_of[pid],
                   "since": since}
            yield {"person_pk": pk, "kind": "role", "audience_id": "alla", "since": since}
            if n < 5:
                yield {"person_pk": pk, "kind": "role", "audience_id": "sektorsledning",
                       "since": since}
            elif n % 40 == 0 or rng.random() < 0.01:
                yield {"person_pk": pk, "kind": "role", "audience_id": "chefer",
                       "since": since}
                yield {"person_pk": pk, "kind": "manages", "audience_id": unit_of[pid],
                       "since": since}
                managers.setdefault(unit_of[pid], []).append(pk)
            for role, share in extra_roles:
                if rng.random() < share:
                    yield {"person_pk": pk, "kind": "role", "audience_id": role,
                           "since": since}

    insert_rows(engine, Membership.__table__, memberships())
    _sync_sequence(engine, "people")
    return Roster(ids, unit_of, managers, frozenset(left))


def fill_acknowledgements(engine: Engine, roster: Roster, documents: list[Document],
                          seed: int = 2, meetings: Meetings | None = None) -> int:
    """About 93 % of people × documents acknowledged (the rate varies by unit), at the
    published version, in the last 120 days.

    With `meetings` (`followup.fill_meetings`), spread from the version's approval to today
    instead (so that renewals fall due), and an acknowledgement of a routine that one of the
    person's unit's meetings went through is, half the time, that meeting's (source "apt",
    the meeting's day; the person recorded as attending)."""
    rng = random.Random(seed)
    units = sorted(set(roster.units.values()))
    rate = {u: 0.85 + 0.15 * i / max(1, len(units) - 1) for i, u in enumerate(units)}
    now = dt.datetime.now(dt.timezone.utc)
    start = now - dt.timedelta(days=120)
    attended: set[tuple[int, int]] = set()

    def moment(document: Document) -> dt.datetime:
        if meetings is None:
            return start + dt.timedelta(minutes=rng.randint(0, 120 * 24 * 60))
        first = dt.datetime.combine(document.approved_on, dt.time(7), dt.timezone.utc)
        minutes = max(0, int((now - first).total_seconds() // 60))
        return first + dt.timedelta(minutes=rng.randint(0, minutes))

    def rows() -> Iterator[dict]:
        for n, pid in enumerate(roster.person_ids):
            share = rate[roster.units[pid]]
            held = meetings.by_unit.get(roster.units[pid], []) if meetings else []
            for document in documents:
                if rng.random() >= share:
                    continue
                row = {"person_pk": n + 1, "document_id": document.id,
                       "version": document.version, "sha256": document.sha256,
                       "source": "web", "meeting_id": None,
                       "acknowledged_at": moment(document)}
                meeting = next((m for m in held if document.id in m.documents), None)
                if meeting is not None and rng.random() < 0.5:
                    row.update(source="apt", meeting_id=meeting.id,
                               acknowledged_at=meeting.recorded_at)
                    attended.add((meeting.id, n + 1))
                yield row

    count = insert_rows(engine, Acknowledgement.__table__, rows())
    insert_rows(engine, AptAttendance.__table__,
                ({"meeting_id": m, "person_pk": pk} for m, pk in sorted(attended)))
    return count


def _sync_sequence(engine: Engine, table: str) -> None:
    """After explicit primary keys, PostgreSQL's sequence must continue after them."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"))


def analyze(engine: Engine) -> None:
    """Fresh planner statistics, as autovacuum would have them after a real import."""
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
