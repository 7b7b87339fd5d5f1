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


def by_role(people: People, requirement: Requirement) -> set[int]:
    """Everybody the routine reaches through a role in its audience."""
    found: set[int] = set()
    for role in requirement.document.audience:
        found |= people.role_members.get(role, set())
    return found


def acknowledgement_rates(ledger: Ledger, organisation: Organisation, scope: Scope, *,
                          unit: str | None = None, document: str | None = None
                          ) -> Acknowledgements:
    """Acknowledgement rates of the mandatory published routines, per routine and unit.

    A drill-down asks for what it shows: `unit`, only that unit's rows and summary (each
    routine's total then counts that unit alone); `document`, only that routine."""
    people = ledger.people
    units = [u for u in units_in_scope(organisation, scope) if unit in (None, u.id)]
    unitless = {pk for pk, u in people.units.items() if not u} \
        if scope.all_units and unit is None else set()
    # Who counts in a unit: its members who are not away, and of them, when the routine is
    # written for roles only, those it reaches through a role.
    present = {u.id: people.unit_members.get(u.id, set()) - ledger.away for u in units}
    rates: list[RoutineRate] = []
    unit_totals: dict[str, Count] = defaultdict(lambda: NONE)
    for requirement in ledger.requirements:
        if not requirement.routine or document not in (None, requirement.id):
            continue
        audience = set(requirement.document.audience)
        valid, overdue = ledger.valid[requirement.key], ledger.overdue[requirement.key]
        roles: set[int] | None = None
        in_scope: set[int] = set()
        unit_rates = []
        for found in units:
            members = present[found.id]
            if EVERYBODY not in audience and found.id not in audience:
                roles = by_role(people, requirement) if roles is None else roles
                members = members & roles
            if not members:
                continue
            in_scope |= members
            rate = Count(len(valid & members), len(members), len(overdue & members))
            unit_rates.append(UnitRate(found, rate, frozenset(members - valid)))
            unit_totals[found.id] += rate
        # Leadership also sees people without a unit, when a role or `alla` includes them.
        in_scope |= unitless & ledger.members[requirement.key]
        if not in_scope and not scope.all_units:
            continue  # nobody in the manager's units is in this routine's audience
        rates.append(RoutineRate(requirement, ledger.count(requirement, in_scope),
                                 tuple(unit_rates), frozenset(in_scope - ledger.away)))
    summaries = [UnitSummary(u, len(present[u.id]), unit_totals[u.id])
                 for u in units if people.unit_members.get(u.id) or not scope.all_units]
    return Acknowledgements(rates, summaries, ledger)
