"""The one rule: what one person owes for one requirement on one day, due when.

- Due `due_days` after the later of the approval of the version acknowledgements count from
  and the day the person joined the requirement's audience.
- With `renew_months`, a record (acknowledgement, passed quiz) is valid that many months; the
  renewal is owed `due_days` before it expires and is due the day it expires (a new item).
- Away until a date: nothing is owed or counted until the date has passed; what became owed
  while away is due `due_days` after the return (never earlier than its own due date).
- An extension moves the due date to its date (for one document, or all).
- Overdue: the due date has passed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from ...content.publications import add_months
from .requirements import Requirement


class State(StrEnum):
    DONE = "done"
    OPEN = "open"
    OVERDUE = "overdue"
    AWAY = "away"


@dataclass(frozen=True)
class Circumstances:
    """What about the person decides the due date."""

    entered: dt.date                      # first day in the requirement's audience
    away_until: dt.date | None = None     # the latest absence recorded (past or present)
    extended_until: dt.date | None = None  # the latest extension for this requirement


@dataclass(frozen=True)
class Obligation:
    requirement: Requirement
    state: State
    due: dt.date
    item: str                        # what a message tells about (a renewal is a new item)
    owed_since: dt.date              # from when it is owed (the digest announces it then)
    valid: bool = False              # a record that is still valid today (renewal window)
    valid_until: dt.date | None = None
    extended: bool = False           # the due date is an extension's

    @property
    def overdue(self) -> bool:
        return self.state is State.OVERDUE

    @property
    def renewal(self) -> bool:
        return self.valid_until is not None

    def days_overdue(self, today: dt.date) -> int:
        return max(0, (today - self.due).days)


def settled(requirement: Requirement, record: dt.date | None, today: dt.date) -> bool:
    """Whether the record alone makes it done on `today`, whoever the person is and whatever
    their circumstances: a record that never expires, or one still valid beyond the renewal
    window (`assess` answers DONE exactly then)."""
    if record is None:
        return False
    if requirement.renew_months is None:
        return True
    days = dt.timedelta(days=requirement.due_days)
    return today < add_months(record, requirement.renew_months) - days


def renews(requirement: Requirement, record: dt.date, today: dt.date) -> bool:
    """Whether an acknowledgement on `today` is a renewal to record, the latest record of the
    same version being of day `record`: it no longer settles the requirement (its renewal
    window has opened, or it has expired) and it was made before today (a record never
    renews itself on its own day, however short `renew_months` is against `due_days`)."""
    return record < today and not settled(requirement, record, today)


def assess(requirement: Requirement, record: dt.date | None, person: Circumstances,
           today: dt.date) -> Obligation:
    """What `person` owes for `requirement` on `today`, given the day of their latest valid
    record (None: none)."""
    days = dt.timedelta(days=requirement.due_days)
    owed_since = max(requirement.owed_from, person.entered)
    due = owed_since + days
    item, valid, valid_until = requirement.key, False, None
    if record is not None:
        if requirement.renew_months is None:
            return Obligation(requirement, State.DONE, due, item, owed_since, True)
        valid_until = add_months(record, requirement.renew_months)
        valid = today < valid_until
        if settled(requirement, record, today):
            return Obligation(requirement, State.DONE, due, item, owed_since, True, valid_until)
        owed_since, due = valid_until - days, valid_until
        item = f"{requirement.key}/{valid_until.isoformat()}"
    if person.away_until is not None and person.away_until >= owed_since:
        due = max(due, person.away_until + days)
    extended = person.extended_until is not None and person.extended_until > due
    if extended:
        due = person.extended_until
    if person.away_until is not None and person.away_until >= today:
        state = State.AWAY
    else:
        state = State.OVERDUE if today > due else State.OPEN
    return Obligation(requirement, state, due, item, owed_since, valid, valid_until, extended)
