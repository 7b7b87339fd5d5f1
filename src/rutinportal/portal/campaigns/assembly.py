"""The ledger and how it is assembled: `rules.assess` applied to every active person (or a
few) on one day, from what they have done (`records`), the roster and the exceptions.

No query here (`ledger` reads and assembles). A person with a record that settles a
requirement alone (`rules.settled`: one that does not expire, or one valid beyond its renewal
window) is done without asking the rule, the common case and the rule's own first answer;
everybody else in the audience is assessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Set as AbstractSet
from dataclasses import dataclass, field

from ..people.active import People
from ..storage.models import PersonException
from . import records
from .requirements import Requirement
from .rules import Circumstances, Obligation, State, assess, settled


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
    overdue: dict[str, set[int]] = field(default_factory=dict)  # key → of `owed`, overdue
    away: set[int] = field(default_factory=set)                 # away today: not counted
    exceptions: dict[int, list[PersonException]] = field(default_factory=dict)
    _by_person: dict[int, list[Obligation]] | None = field(default=None, init=False,
                                                           repr=False, compare=False)

    def requirement(self, document_id: str) -> Requirement | None:
        return next((r for r in self.requirements if r.id == document_id), None)

    def counted(self, requirement: Requirement, among: AbstractSet[int] | None = None
                ) -> set[int]:
        """Who counts for `requirement` (of `among`, if given): reached, and not away."""
        members = self.members[requirement.key]
        return (members & among if among is not None else members) - self.away

    def count(self, requirement: Requirement, among: AbstractSet[int] | None = None) -> Count:
        counted = self.counted(requirement, among)
        return Count(len(self.valid[requirement.key] & counted), len(counted),
                     len(self.overdue[requirement.key] & counted))

    def missing(self, requirement: Requirement, among: AbstractSet[int] | None = None
                ) -> set[int]:
        """Who is counted and has not done it (valid today)."""
        return self.counted(requirement, among) - self.valid[requirement.key]

    def of(self, pk: int) -> list[Obligation]:
        """What a person owes (open, overdue, renewals, and while away), by due date."""
        if self._by_person is None:  # once per ledger: a unit's page asks for hundreds
            found: dict[int, list[Obligation]] = {}
            for requirement in self.requirements:
                for owner, obligation in self.owed[requirement.key].items():
                    found.setdefault(owner, []).append(obligation)
            for items in found.values():
                items.sort(key=lambda o: (o.due, o.requirement.title.casefold()))
            self._by_person = found
        return list(self._by_person.get(pk, ()))

    def obligation(self, requirement: Requirement, pk: int) -> Obligation | None:
        return self.owed[requirement.key].get(pk)


def circumstances(people: People, exceptions: dict[int, list[PersonException]], pk: int,
                  requirement: Requirement) -> Circumstances:
    mine = exceptions.get(pk, [])
    return Circumstances(people.entered(pk, requirement.document.audience),
                         records.away_until(mine), records.extended_until(mine, requirement.id))


def assemble(today: dt.date, people: People, wanted: list[Requirement],
             complete: Mapping[str, AbstractSet[int]],
             latest: Mapping[tuple[str, int], dt.date],
             exceptions: dict[int, list[PersonException]]) -> Ledger:
    """The ledger from what people have done (`records`): the rule for everybody a
    requirement reaches, except where a record alone settles it (`rules.settled`, the
    rule's own first answer: the common case)."""
    away = {pk for pk, items in exceptions.items()
            if pk in people.by_pk and (records.away_until(items) or dt.date.min) >= today}
    ledger = Ledger(today, people, wanted, away=away, exceptions=exceptions)
    reach: dict[frozenset[str], set[int]] = {}  # one set per audience, shared (never changed)
    for requirement in wanted:
        audience = frozenset(requirement.document.audience)
        members = reach.get(audience)
        if members is None:
            members = reach[audience] = people.reached_by(audience)
        done = complete.get(requirement.key, frozenset()) & members
        owed: dict[int, Obligation] = {}
        if requirement.renew_months is None:
            unsettled = members - done
        else:
            settles: dict[dt.date, bool] = {}  # many records share a day
            unsettled = set(members - done)
            for pk in done:
                record = latest.get((requirement.key, pk))
                if record not in settles:
                    settles[record] = settled(requirement, record, today)
                if not settles[record]:
                    unsettled.add(pk)
        for pk in unsettled:
            record = latest.get((requirement.key, pk)) if pk in done else None
            found = assess(requirement, record,
                           circumstances(people, exceptions, pk, requirement), today)
            if found.state is not State.DONE:
                owed[pk] = found
        ledger.members[requirement.key] = members
        ledger.valid[requirement.key] = {pk for pk in done if pk not in owed or owed[pk].valid}
        ledger.owed[requirement.key] = owed
        ledger.overdue[requirement.key] = {pk for pk, o in owed.items() if o.overdue}
    return ledger


def reassess(ledger: Ledger, complete: Mapping[str, AbstractSet[int]],
             latest: Mapping[tuple[str, int], dt.date], changed: AbstractSet[int]) -> Ledger:
    """`ledger` with what the people in `changed` have done read again from `complete` and
    `latest` (everything else as it was: the roster, exceptions and day): what `assemble`
    would give, for a few people's worth of work. A new ledger; `ledger` stays as it was."""
    new = Ledger(ledger.today, ledger.people, ledger.requirements, ledger.members,
                 dict(ledger.valid), dict(ledger.owed), dict(ledger.overdue), ledger.away,
                 ledger.exceptions)
    for requirement in ledger.requirements:
        key = requirement.key
        mine = ledger.members[key] & changed
        if not mine:
            continue
        valid, owed, overdue = set(new.valid[key]), dict(new.owed[key]), set(new.overdue[key])
        done = complete.get(key, frozenset())
        for pk in mine:
            record = latest.get((key, pk)) if pk in done else None
            found = None
            # As `assemble`: done settles a record that does not expire, else `settled`.
            if pk not in done or (requirement.renew_months is not None
                                  and not settled(requirement, record, ledger.today)):
                found = assess(requirement, record,
                               circumstances(ledger.people, ledger.exceptions, pk, requirement),
                               ledger.today)
            owed.pop(pk, None)
            overdue.discard(pk)
            valid.discard(pk)
            if found is not None and found.state is not State.DONE:
                owed[pk] = found
                if found.overdue:
                    overdue.add(pk)
            if pk in done and (pk not in owed or owed[pk].valid):
                valid.add(pk)
        new.valid[key], new.owed[key], new.overdue[key] = valid, owed, overdue
    return new
