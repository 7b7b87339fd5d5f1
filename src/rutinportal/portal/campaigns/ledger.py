"""The ledger: `rules.assess` applied to every active person (or a few) on one day.

Built in a fixed number of queries (the roster, records, expiring records, exceptions),
whatever the number of people and requirements. A person with a valid record of a
requirement that does not expire is done without asking the rule (the common case, and the
rule's own first answer); everybody else in the audience is assessed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from ..people.active import People, load_people
from ..published import Published
from ..storage.models import PersonException
from . import records
from .requirements import Requirement, requirements
from .rules import Circumstances, Obligation, State, assess


@dataclass(frozen=True)
class Count:
    """Of the people a requirement reaches who are not away: how many have done it (valid
    today), and how many are overdue."""

    done: int
    total: int
    overdue: int = 0

    @property
    def percent(self) -> int | None:
        return self.done * 100 // self.total if self.total else None

    @property
    def missing(self) -> int:
        return self.total - self.done

    def __add__(self, other: Count) -> Count:
        return Count(self.done + other.done, self.total + other.total,
                     self.overdue + other.overdue)


NONE = Count(0, 0)


@dataclass
class Ledger:
    today: dt.date
    people: People
    requirements: list[Requirement]
    members: dict[str, set[int]] = field(default_factory=dict)  # key → reached, active
    valid: dict[str, set[int]] = field(default_factory=dict)    # key → done, valid today
    owed: dict[str, dict[int, Obligation]] = field(default_factory=dict)  # not done
    away: set[int] = field(default_factory=set)                 # away today: not counted
    exceptions: dict[int, list[PersonException]] = field(default_factory=dict)

    def requirement(self, document_id: str) -> Requirement | None:
        return next((r for r in self.requirements if r.id == document_id), None)

    def count(self, requirement: Requirement, among: set[int] | None = None) -> Count:
        counted = self.members[requirement.key] - self.away
        if among is not None:
            counted &= among
        owed = self.owed[requirement.key]
        return Count(len(self.valid[requirement.key] & counted), len(counted),
                     sum(1 for pk, o in owed.items() if o.overdue and pk in counted))

    def missing(self, requirement: Requirement, among: set[int] | None = None) -> set[int]:
        """Who is counted and has not done it (valid today)."""
        counted = self.members[requirement.key] - self.away
        if among is not None:
            counted &= among
        return counted - self.valid[requirement.key]

    def of(self, pk: int) -> list[Obligation]:
        """What a person owes (open, overdue, renewals, and while away), by due date."""
        found = [self.owed[r.key][pk] for r in self.requirements if pk in self.owed[r.key]]
        return sorted(found, key=lambda o: (o.due, o.requirement.title.casefold()))

    def obligation(self, requirement: Requirement, pk: int) -> Obligation | None:
        return self.owed[requirement.key].get(pk)


def circumstances(people: People, exceptions: dict[int, list[PersonException]], pk: int,
                  requirement: Requirement) -> Circumstances:
    mine = exceptions.get(pk, [])
    return Circumstances(people.entered(pk, requirement.document.audience),
                         records.away_until(mine), records.extended_until(mine, requirement.id))


def build_ledger(session: Session, published: Published, today: dt.date,
                 only: set[int] | None = None, people: People | None = None,
                 recorded_by: dt.date | None = None) -> Ledger:
    """The ledger for the active people (or those in `only`) on `today`.

    With `recorded_by` (a past day, for the annual report) only what was recorded by the end
    of that day counts — records, exceptions, and the roster as it stood (`load_people`);
    without, everything recorded so far (the live dashboard)."""
    people = people or load_people(session, only, recorded_by)
    wanted = requirements(published)
    complete = records.completed(session, wanted, only, recorded_by)
    latest = records.latest_records(session, wanted, only, recorded_by)
    exceptions = records.exceptions(session, only, recorded_by)
    away = {pk for pk, items in exceptions.items()
            if pk in people.by_pk and (records.away_until(items) or dt.date.min) >= today}
    ledger = Ledger(today, people, wanted, away=away, exceptions=exceptions)
    for requirement in wanted:
        members = people.reached_by(requirement.document.audience)
        done = complete.get(requirement.key, set()) & members
        owed: dict[int, Obligation] = {}
        # A valid record that never expires is done, as `assess` says first: not asked.
        for pk in (members - done) if requirement.renew_months is None else members:
            record = latest.get((requirement.key, pk)) if pk in done else None
            found = assess(requirement, record,
                           circumstances(people, exceptions, pk, requirement), today)
            if found.state is not State.DONE:
                owed[pk] = found
        ledger.members[requirement.key] = members
        ledger.valid[requirement.key] = {pk for pk in done if pk not in owed or owed[pk].valid}
        ledger.owed[requirement.key] = owed
    return ledger
