"""The person-level drill-down of a unit: each active person, what they owe by when, and
their exceptions (the ledger's, so the same as on their own Min sida)."""

from __future__ import annotations

from dataclasses import dataclass

from ..campaigns.ledger import Ledger
from ..campaigns.rules import Obligation
from ..people.active import PersonRef
from ..storage.models import PersonException


@dataclass(frozen=True)
class PersonRow:
    person: PersonRef
    owed: tuple[Obligation, ...]           # by due date
    exceptions: tuple[PersonException, ...]
    away: bool

    @property
    def overdue(self) -> tuple[Obligation, ...]:
        return tuple(o for o in self.owed if o.overdue)

    @property
    def next_due(self) -> Obligation | None:
        return next((o for o in self.owed if not o.overdue), None)


def unit_people(ledger: Ledger, unit_id: str) -> list[PersonRow]:
    """Everybody active in the unit, by name."""
    people = ledger.people
    return [PersonRow(person, tuple(ledger.of(person.pk)),
                      tuple(ledger.exceptions.get(person.pk, ())), person.pk in ledger.away)
            for person in people.in_order(people.unit_members.get(unit_id, set()))]
