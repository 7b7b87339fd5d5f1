"""The active roster as every count reads it, loaded in two queries: who, their units, roles
and managed units, and since when they belong to each (the day a person joins an audience is
the day they start to owe its routines).

People who left (inactive) count nowhere.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ...content.organisation import EVERYBODY, person_audiences
from ..storage.models import Membership, Person
from ..storage.moments import end_of_day, local_day

KINDS = ("unit", "role", "manages")
AUDIENCE_KINDS = ("unit", "role")


@dataclass(frozen=True)
class PersonRef:
    pk: int
    person_id: str
    name: str
    email: str | None = None
    title: str | None = None  # befattning: the documents whose `owner` it is reach them


@dataclass
class People:
    """The active roster: who, and their units, roles and managed units."""

    by_pk: dict[int, PersonRef]
    units: dict[int, set[str]]
    roles: dict[int, set[str]]
    manages: dict[int, set[str]]
    since: dict[int, dict[tuple[str, str], dt.date]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.unit_members: dict[str, set[int]] = defaultdict(set)
        self.role_members: dict[str, set[int]] = defaultdict(set)
        self.managers_of: dict[str, set[int]] = defaultdict(set)
        for pk, units in self.units.items():
            for unit in units:
                self.unit_members[unit].add(pk)
        for pk, roles in self.roles.items():
            for role in roles:
                self.role_members[role].add(pk)
        for pk, managed in self.manages.items():
            for unit in managed:
                self.managers_of[unit].add(pk)

    def in_order(self, pks: Iterable[int]) -> list[PersonRef]:
        """The people, by name (then id, for namesakes)."""
        return sorted((self.by_pk[pk] for pk in pks),
                      key=lambda p: (p.name.casefold(), p.person_id))

    def audiences(self, pk: int) -> frozenset[str]:
        return person_audiences(self.units[pk], self.roles[pk])

    def reached_by(self, audience: Iterable[str]) -> set[int]:
        """Everybody a document written for `audience` reaches (`organisation.reaches`)."""
        audience = set(audience)
        if EVERYBODY in audience:
            return set(self.by_pk)
        found: set[int] = set()
        for audience_id in audience:
            found |= self.unit_members.get(audience_id, set())
            found |= self.role_members.get(audience_id, set())
        return found

    def entered(self, pk: int, audience: Iterable[str]) -> dt.date:
        """The day the person first belonged to any of `audience` (`alla`: the roster)."""
        audience = set(audience)
        days = [day for (kind, audience_id), day in self.since.get(pk, {}).items()
                if kind in AUDIENCE_KINDS and audience_id in audience]
        if not days and EVERYBODY in audience:
            days = list(self.since.get(pk, {}).values())
        return min(days, default=dt.date.min)


RosterRows = tuple[tuple[Any, ...], tuple[Any, ...]]


def roster_rows(session: Session, only: set[int] | None = None,
                until: dt.date | None = None) -> RosterRows:
    """The active people (or those of `only` that are active) and their memberships, as
    stored, in two queries: what `people_from` makes the roster from (equal rows, equal
    roster).

    With `until`, the roster as it stood at the end of that day, as far as the database
    remembers it: people added by then who had not left by then, with the memberships they
    had had since before it. (A membership that a later import replaced is not kept: someone
    who changed unit counts in the new one from the day of the change.)"""
    if until is None:
        where = [Person.active.is_(True)]
        joined = []
    else:
        cutoff = end_of_day(until)
        where = [Person.created_at < cutoff,
                 or_(Person.active.is_(True), Person.deactivated_at >= cutoff)]
        joined = [Membership.since < cutoff]
    if only is not None:
        where.append(Person.id.in_(sorted(only)))
    people = tuple(map(tuple, session.execute(
        select(Person.id, Person.person_id, Person.name, Person.email, Person.title)
        .where(*where).order_by(Person.id))))
    memberships = tuple(map(tuple, session.execute(
        select(Membership.person_pk, Membership.kind, Membership.audience_id, Membership.since)
        .join(Person, Person.id == Membership.person_pk).where(*where, *joined)
        .order_by(Membership.id))))
    if until is not None:  # nobody without a membership by then: not on that day's roster
        members = {pk for pk, *_ in memberships}
        people = tuple(row for row in people if row[0] in members)
    return people, memberships


def roster_fingerprint(session: Session) -> tuple[Any, ...]:
    """The stored roster (active people, every membership) as one text per table, made by
    the database: equal exactly when the roster is, so a roster made from it before can be
    used again (`campaigns.current`). Each value is delimited or prefixed with its length,
    so no two rosters give the same text; PostgreSQL sends the text's SHA-256 instead of
    the text. No row reaches Python: one query, and nothing for the garbage collector."""
    people = ("CAST(id AS TEXT) || ',' || length(person_id) || ':' || person_id || ',' "
              "|| length(name) || ':' || name || ',' "
              "|| coalesce(length(email) || ':' || email, '-') || ',' "
              "|| coalesce(length(title) || ':' || title, '-')")
    memberships = ("CAST(id AS TEXT) || ',' || CAST(person_pk AS TEXT) || ',' || kind || ',' "
                   "|| length(audience_id) || ':' || audience_id || ',' || CAST(since AS TEXT)")
    if session.get_bind().dialect.name == "postgresql":
        def text(row: str, table: str) -> str:
            return (f"SELECT sha256(convert_to(string_agg({row}, '|' ORDER BY id), 'UTF8')) "
                    f"FROM {table}")
    else:  # SQLite before 3.44 has no ORDER BY in an aggregate; it keeps a subquery's
        def text(row: str, table: str) -> str:
            return f"SELECT group_concat(r, '|') FROM (SELECT {row} AS r FROM {table} ORDER BY id)"
    return tuple(session.connection().exec_driver_sql(
        f"SELECT (SELECT count(*) FROM people WHERE active), "
        f"({text(people, 'people WHERE active')}), "
        f"(SELECT count(*) FROM memberships), "
        f"({text(memberships, 'memberships')})").one())


def people_from(rows: RosterRows) -> People:
    people, memberships = rows
    by_pk = {pk: PersonRef(pk, person_id, name, email, title)
             for pk, person_id, name, email, title in people}
    kinds: dict[str, dict[int, set[str]]] = {k: {pk: set() for pk in by_pk} for k in KINDS}
    since: dict[int, dict[tuple[str, str], dt.date]] = {pk: {} for pk in by_pk}
    days: dict[Any, dt.date] = {}  # a roster import gives many memberships the same moment
    for pk, kind, audience_id, moment in memberships:
        if kind in kinds and pk in by_pk:
            kinds[kind][pk].add(audience_id)
            day = days.get(moment)
            if day is None:
                day = days[moment] = local_day(moment)
            since[pk][(kind, audience_id)] = day
    return People(by_pk, kinds["unit"], kinds["role"], kinds["manages"], since)


def load_people(session: Session, only: set[int] | None = None,
                until: dt.date | None = None) -> People:
    """The active people (or those of `only` that are active), in two queries; with
    `until`, as the roster stood at the end of that day (`roster_rows`)."""
    return people_from(roster_rows(session, only, until))
