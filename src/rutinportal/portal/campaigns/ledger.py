"""The ledger of what is owed on one day, for everybody or a few: `compute_ledger` reads it
afresh (a fixed number of queries, whatever the number of people and requirements);
`build_ledger` answers for everybody from what this process keeps up to date (`current`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ..people.active import People, load_people
from ..published import Published
from . import records
from .assembly import NONE, Count, Ledger, assemble, circumstances
from .current import current_ledger
from .requirements import requirements

__all__ = ["NONE", "Count", "Ledger", "build_ledger", "circumstances", "compute_ledger"]


def compute_ledger(session: Session, published: Published, today: dt.date,
                   only: set[int] | None = None, people: People | None = None,
                   recorded_by: dt.date | None = None) -> Ledger:
    """The ledger for the active people (or those in `only`) on `today`, read afresh from
    the database in a fixed number of queries (as recorded by the end of `recorded_by`, if
    given: see `build_ledger`)."""
    people = people or load_people(session, only, recorded_by)
    wanted = requirements(published)
    return assemble(today, people, wanted,
                    records.completed(session, wanted, only, recorded_by),
                    records.latest_records(session, wanted, only, recorded_by),
                    records.exceptions(session, only, recorded_by))


def build_ledger(session: Session, published: Published, today: dt.date,
                 only: set[int] | None = None, people: People | None = None,
                 recorded_by: dt.date | None = None) -> Ledger:
    """The ledger for the active people (or those in `only`) on `today`: for everybody from
    what this process keeps up to date (`current`), else read afresh.

    With `recorded_by` (a past day, for the annual report) only what was recorded by the end
    of that day counts — records, exceptions, and the roster as it stood (`load_people`);
    without, everything recorded so far (the live dashboard)."""
    if only is None and people is None and recorded_by is None:
        return current_ledger(session, published, today)
    return compute_ledger(session, published, today, only, people, recorded_by)
