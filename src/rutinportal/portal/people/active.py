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


def load_people(session: Session, only: set[int] | None = None,
                until: dt.date | None = None) -> People:
    """The active people (or those of `only` that are active), in two queries.

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
    rows = session.execute(select(Membership.person_pk, Membership.kind, Membership.audience_id,
                                  Membership.since)
                           .join(Person, Person.id == Membership.person_pk)
                           .where(*where, *joined))
    found = list(rows)
    members = {pk for pk, *_ in found} if until is not None else None
    by_pk = {pk: PersonRef(pk, person_id, name, email, title)
             for pk, person_id, name, email, title in
             session.execute(select(Person.id, Person.person_id, Person.name, Person.email,
                                    Person.title).where(*where))
             if members is None or pk in members}
    kinds: dict[str, dict[int, set[str]]] = {k: {pk: set() for pk in by_pk} for k in KINDS}
    since: dict[int, dict[tuple[str, str], dt.date]] = {pk: {} for pk in by_pk}
    for pk, kind, audience_id, moment in found:
        if kind in kinds and pk in by_pk:
            kinds[kind][pk].add(audience_id)
            since[pk][(kind, audience_id)] = local_day(moment)
    return People(by_pk, kinds["unit"], kinds["role"], kinds["manages"], since)
