"""Acknowledgement rates of the mandatory published routines, per routine and unit.

For a routine and a unit, a person counts when they belong to the unit and the routine
reaches them (its audience names the unit, `alla`, or one of the person's roles). A person in
two units counts in both units and once in the routine's total. The database work is a fixed
handful of queries; the rest is set arithmetic in memory.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ...content.documents import Kind
from ...content.organisation import Audience, Organisation, reaches
from ..access.policy import Scope
from ..published import Published, PublishedDocument
from ..storage.models import Acknowledgement
from .people import ZERO, People, PersonRef, Rate, load_people, older_than, people_with


@dataclass(frozen=True)
class UnitRate:
    """One routine in one unit, with the people of its audience who have not acknowledged."""

    unit: Audience
    rate: Rate
    missing: frozenset[int]


@dataclass(frozen=True)
class RoutineRate:
    """One mandatory routine: its total in scope (each person once) and per unit."""

    document: PublishedDocument
    rate: Rate
    units: tuple[UnitRate, ...]  # only units with someone in the audience

    def unit(self, unit_id: str) -> UnitRate | None:
        return next((u for u in self.units if u.unit.id == unit_id), None)


@dataclass(frozen=True)
class UnitSummary:
    """A unit over all mandatory routines: acknowledgements done of those required."""

    unit: Audience
    people: int
    rate: Rate


@dataclass
class Acknowledgements:
    routines: list[RoutineRate]
    units: list[UnitSummary]
    people: People

    @property
    def rate(self) -> Rate:
        return sum((r.rate for r in self.routines), ZERO)

    def routine(self, document_id: str) -> RoutineRate | None:
        return next((r for r in self.routines if r.document.id == document_id), None)

    def for_unit(self, unit_id: str) -> list[tuple[RoutineRate, UnitRate]]:
        """Each routine with someone in the unit's audience, with the unit's figures."""
        found = [(r, r.unit(unit_id)) for r in self.routines]
        return [(r, u) for r, u in found if u is not None]

    def missing(self, unit_rate: UnitRate) -> list[PersonRef]:
        return self.people.in_order(unit_rate.missing)


def mandatory_routines(published: Published) -> list[PublishedDocument]:
    return sorted((d for d in published.documents.values()
                   if d.kind is Kind.ROUTINE and d.mandatory), key=lambda d: d.id)


def units_in_scope(organisation: Organisation, scope: Scope) -> list[Audience]:
    return [u for u in organisation.units if scope.covers(u.id)]


def acknowledged(session: Session, documents: list[PublishedDocument]) -> dict[str, set[int]]:
    """Document id → people whose latest acknowledgement counts (>= `acknowledge_from`)."""
    if not documents:
        return {}
    older = older_than(Acknowledgement.document_id, Acknowledgement.version,
                        {d.id: d.acknowledge_from for d in documents})
    found = people_with(session, Acknowledgement.person_pk, Acknowledgement.document_id,
                         *older)
    return {d.id: found.get(d.id, set()) for d in documents}


def acknowledgement_rates(session: Session, published: Published, organisation: Organisation,
                          scope: Scope, people: People | None = None) -> Acknowledgements:
    """Acknowledgement rates of the mandatory published routines, per routine and unit."""
    people = people or load_people(session)
    routines = mandatory_routines(published)
    done = acknowledged(session, routines)
    units = units_in_scope(organisation, scope)
    role_ids = {r.id for r in organisation.roles}
    unitless = {pk for pk, u in people.units.items() if not u} if scope.all_units else set()
    rates: list[RoutineRate] = []
    unit_totals: dict[str, Rate] = defaultdict(lambda: ZERO)
    for document in routines:
        audience = set(document.audience)
        everybody = reaches(audience, ())  # `alla`: every member of every unit
        by_role: set[int] = set().union(*(people.role_members.get(r, set())
                                          for r in audience & role_ids))
        acked = done[document.id]
        in_scope: set[int] = set()
        unit_rates = []
        for unit in units:
            members = people.unit_members.get(unit.id, set())
            if not (everybody or unit.id in audience):
                members = members & by_role
            if not members:
                continue
            in_scope |= members
            rate = Rate(len(members & acked), len(members))
            unit_rates.append(UnitRate(unit, rate, frozenset(members - acked)))
            unit_totals[unit.id] += rate
        # Leadership also sees people without a unit, when a role or `alla` includes them.
        in_scope |= unitless if everybody else unitless & by_role
        if not in_scope and not scope.all_units:
            continue  # nobody in the manager's units is in this routine's audience
        rates.append(RoutineRate(document, Rate(len(in_scope & acked), len(in_scope)),
                                 tuple(unit_rates)))
    summaries = [UnitSummary(u, len(people.unit_members.get(u.id, ())), unit_totals[u.id])
                 for u in units if people.unit_members.get(u.id) or not scope.all_units]
    return Acknowledgements(rates, summaries, people)
