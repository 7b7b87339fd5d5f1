"""Acknowledgement rates of the mandatory published routines, per routine and unit, with
how many are overdue, from the campaigns ledger (what is valid today; people away are
counted out).

For a routine and a unit, a person counts when they belong to the unit and the routine
reaches them (its audience names the unit, `alla`, or one of the person's roles). A person in
two units counts in both units and once in the routine's total. No query here: set
arithmetic over the ledger.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ...content.organisation import Audience, EVERYBODY, Organisation
from ..access.policy import Scope
from ..campaigns.ledger import NONE, Count, Ledger
from ..campaigns.requirements import Requirement
from ..campaigns.rules import Obligation
from ..people.active import People, PersonRef
from ..published import PublishedDocument


@dataclass(frozen=True)
class UnitRate:
    """One routine in one unit, with the people counted there who have not acknowledged."""

    unit: Audience
    rate: Count
    missing: frozenset[int]


@dataclass(frozen=True)
class RoutineRate:
    """One mandatory routine: its total in scope (each person once) and per unit."""

    requirement: Requirement
    rate: Count
    units: tuple[UnitRate, ...]  # only units with someone in the audience
    counted: frozenset[int] = frozenset()  # the people behind `rate`

    @property
    def document(self) -> PublishedDocument:
        return self.requirement.document

    def unit(self, unit_id: str) -> UnitRate | None:
        return next((u for u in self.units if u.unit.id == unit_id), None)


@dataclass(frozen=True)
class UnitSummary:
    """A unit over all mandatory routines: acknowledgements done of those required."""

    unit: Audience
    people: int
    rate: Count


@dataclass
class Acknowledgements:
    routines: list[RoutineRate]
    units: list[UnitSummary]
    ledger: Ledger

    @property
    def people(self) -> People:
        return self.ledger.people

    @property
    def rate(self) -> Count:
        return sum((r.rate for r in self.routines), NONE)

    def routine(self, document_id: str) -> RoutineRate | None:
        return next((r for r in self.routines if r.document.id == document_id), None)

    def for_unit(self, unit_id: str) -> list[tuple[RoutineRate, UnitRate]]:
        """Each routine with someone in the unit's audience, with the unit's figures."""
        found = [(r, r.unit(unit_id)) for r in self.routines]
        return [(r, u) for r, u in found if u is not None]

    def missing(self, unit_rate: UnitRate) -> list[PersonRef]:
        return self.people.in_order(unit_rate.missing)

    def obligation(self, routine: RoutineRate, person: PersonRef) -> Obligation | None:
        return self.ledger.obligation(routine.requirement, person.pk)


def units_in_scope(organisation: Organisation, scope: Scope) -> list[Audience]:
    return [u for u in organisation.units if scope.covers(u.id)]


def counted_in_unit(people: People, requirement: Requirement, unit: str) -> set[int]:
    """Who counts for `requirement` in `unit`: all its members when the routine is written
    for the unit (or everybody), else those of them it reaches through a role."""
    audience = set(requirement.document.audience)
    members = people.unit_members.get(unit, set())
    if EVERYBODY in audience or unit in audience:
        return set(members)
    by_role: set[int] = set()
    for role in audience:
        by_role |= people.role_members.get(role, set())
    return members & by_role


def acknowledgement_rates(ledger: Ledger, organisation: Organisation,
                          scope: Scope) -> Acknowledgements:
    """Acknowledgement rates of the mandatory published routines, per routine and unit."""
    people = ledger.people
    units = units_in_scope(organisation, scope)
    unitless = {pk for pk, u in people.units.items() if not u} if scope.all_units else set()
    rates: list[RoutineRate] = []
    unit_totals: dict[str, Count] = defaultdict(lambda: NONE)
    for requirement in (r for r in ledger.requirements if r.routine):
        in_scope: set[int] = set()
        unit_rates = []
        for unit in units:
            members = counted_in_unit(people, requirement, unit.id) - ledger.away
            if not members:
                continue
            in_scope |= members
            rate = ledger.count(requirement, members)
            unit_rates.append(UnitRate(unit, rate,
                                       frozenset(ledger.missing(requirement, members))))
            unit_totals[unit.id] += rate
        # Leadership also sees people without a unit, when a role or `alla` includes them.
        in_scope |= unitless & ledger.members[requirement.key]
        if not in_scope and not scope.all_units:
            continue  # nobody in the manager's units is in this routine's audience
        rates.append(RoutineRate(requirement, ledger.count(requirement, in_scope),
                                 tuple(unit_rates), frozenset(in_scope - ledger.away)))
    summaries = [UnitSummary(u, len(people.unit_members.get(u.id, set()) - ledger.away),
                             unit_totals[u.id])
                 for u in units if people.unit_members.get(u.id) or not scope.all_units]
    return Acknowledgements(rates, summaries, ledger)
