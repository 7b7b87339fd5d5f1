"""The active roster as the dashboard counts it, loaded in a fixed handful of queries.

Denominators are the active people of the roster; people who left (inactive) count nowhere.
`people_with` aggregates who has a matching record, per person, in the database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, not_, or_, select
from sqlalchemy.orm import Session

from ...content.organisation import person_audiences
from ..storage.models import Membership, Person


@dataclass(frozen=True)
class Rate:
    """`done` of `total`; the percentage is rounded down, so 100 % means everyone."""

    done: int
    total: int

    @property
    def percent(self) -> int | None:
        return self.done * 100 // self.total if self.total else None

    @property
    def missing(self) -> int:
        return self.total - self.done

    def __add__(self, other: Rate) -> Rate:
        return Rate(self.done + other.done, self.total + other.total)


ZERO = Rate(0, 0)


@dataclass(frozen=True)
class PersonRef:
    pk: int
    person_id: str
    name: str


@dataclass
class People:
    """The active roster: who, and their units, roles and managed units (two queries)."""

    by_pk: dict[int, PersonRef]
    units: dict[int, set[str]]
    roles: dict[int, set[str]]
    manages: dict[int, set[str]]

    def __post_init__(self) -> None:
        self.unit_members: dict[str, set[int]] = defaultdict(set)
        self.role_members: dict[str, set[int]] = defaultdict(set)
        for pk, units in self.units.items():
            for unit in units:
                self.unit_members[unit].add(pk)
        for pk, roles in self.roles.items():
            for role in roles:
                self.role_members[role].add(pk)

    def in_order(self, pks: set[int] | frozenset[int]) -> list[PersonRef]:
        """The people, by name (then id, for namesakes)."""
        return sorted((self.by_pk[pk] for pk in pks),
                      key=lambda p: (p.name.casefold(), p.person_id))

    def audiences(self, pk: int) -> frozenset[str]:
        return person_audiences(self.units[pk], self.roles[pk])


def load_people(session: Session) -> People:
    active = Person.active.is_(True)
    by_pk = {pk: PersonRef(pk, person_id, name) for pk, person_id, name in
             session.execute(select(Person.id, Person.person_id, Person.name).where(active))}
    kinds: dict[str, dict[int, set[str]]] = {k: {pk: set() for pk in by_pk}
                                             for k in ("unit", "role", "manages")}
    rows = session.execute(select(Membership.person_pk, Membership.kind, Membership.audience_id)
                           .join(Person, Person.id == Membership.person_pk).where(active))
    for pk, kind, audience_id in rows:
        if kind in kinds and pk in by_pk:
            kinds[kind][pk].add(audience_id)
    return People(by_pk, kinds["unit"], kinds["role"], kinds["manages"])


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
