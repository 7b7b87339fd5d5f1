"""Importing the roster into `people`: an upsert by person id, in one transaction.

The file format and its validation are in `roster_file`. New people are added; people
already in the database are updated in place (name, e-mail, job title, units, roles and
managed units replaced), so their acknowledgements and quiz attempts stay theirs; people in the database but
not in the file are deactivated (`active = False`), never deleted; a person who comes back is
reactivated. Every person gets the role `alla` stored, so that "everybody" is an audience like
any other. Each import is recorded in `roster_imports`.

A membership remembers since when it exists (`since`, the import that added it): a person who
joins a unit or gets a role owes its routines from that day, and a re-import keeps the date of
a membership that stays. A person who comes back after leaving starts afresh.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...content.organisation import Organisation
from ...content.problems import ValidationFailed
from ..storage.models import Membership, Person, RosterImport
from .roster_file import RosterRow, parse_roster

MAX_FILE_NAME = 260


@dataclass(frozen=True)
class ImportResult:
    """What an import changed. Reactivated people count as updated; people who were
    already inactive and are still absent are not counted."""

    added: int
    updated: int
    deactivated: int
    unchanged: int


def _moment(today: dt.datetime | dt.date | None) -> dt.datetime:
    if today is None:
        return dt.datetime.now(dt.timezone.utc)
    if not isinstance(today, dt.datetime):
        today = dt.datetime.combine(today, dt.time())
    return today if today.tzinfo else today.replace(tzinfo=dt.timezone.utc)


def _current(person: Person) -> set[tuple[str, str]]:
    return {(m.kind, m.audience_id) for m in person.memberships}


def _update(person: Person, row: RosterRow, now: dt.datetime) -> bool:
    """Bring one person in line with their row; whether anything changed."""
    wanted, current = row.memberships(), _current(person)
    if (person.name, person.email, person.title, person.active, current) == (
            row.name, row.email, row.title, True, wanted):
        return False
    person.name, person.email, person.title = row.name, row.email, row.title
    if not person.active:  # back after leaving: what they owe counts from today
        for membership in person.memberships:
            membership.since = now
    person.active, person.deactivated_at = True, None
    person.updated_at = now
    # Remove and add only the difference: the unit of work inserts before it deletes, so
    # replacing the whole list would collide with the unique (person, kind, audience).
    for membership in [m for m in person.memberships
                       if (m.kind, m.audience_id) not in wanted]:
        person.memberships.remove(membership)
    for kind, audience_id in sorted(wanted - current):
        person.memberships.append(Membership(kind=kind, audience_id=audience_id, since=now))
    return True


def import_roster(session: Session, path: Path, organisation: Organisation, *,
                  today: dt.datetime | dt.date | None = None) -> ImportResult:
    """Validate the roster file, then upsert it in one transaction (commit or roll back).

    Raises `ValidationFailed` with every problem, writing nothing, if the file is invalid.
    `today` fixes the time recorded for the changes (tests, demonstrations): a datetime
    (naive means UTC) or a date (midnight UTC); default now.
    """
    path = Path(path)
    rows, problems = parse_roster(path, organisation)
    if problems:
        raise ValidationFailed(problems)
    now = _moment(today)
    added = updated = deactivated = unchanged = 0
    try:
        existing = {p.person_id: p for p in session.scalars(select(Person))}
        for row in rows:
            person = existing.pop(row.person_id, None)
            if person is None:
                session.add(Person(
                    person_id=row.person_id, name=row.name, email=row.email, title=row.title,
                    active=True,
                    created_at=now, updated_at=now,
                    memberships=[Membership(kind=k, audience_id=a, since=now)
                                 for k, a in sorted(row.memberships())]))
                added += 1
            elif _update(person, row, now):
                updated += 1
            else:
                unchanged += 1
        for person in existing.values():  # not in the file: left
            if person.active:
                person.active, person.deactivated_at, person.updated_at = False, now, now
                deactivated += 1
        session.add(RosterImport(imported_at=now, file_name=path.name[:MAX_FILE_NAME],
                                 added=added, updated=updated, deactivated=deactivated))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return ImportResult(added, updated, deactivated, unchanged)
