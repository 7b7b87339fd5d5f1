"""The ledger for everybody, kept by this process for each database and checked at every
request: what the dashboard, its exports and `rutinportal notify` read.

Every request reads what the ledger is made of, each cheaply: the acknowledgements added
since the last request (`acknowledged`), the passed quizzes of the requirements completed by
a quiz (the NIS2 modules: few rows, by index), a fingerprint of the roster
(`people.active.roster_fingerprint`) and the exceptions in force. When all of it is what the
kept ledger was made of, on the same day and for the same published requirements, the kept
ledger is the answer. When only acknowledgements were added since, the people who made them
are assessed again (`assembly.reassess`); otherwise a new ledger is assembled
(`assembly.assemble`, no query). Either is kept. The roster is read and made into `People`
again only when its fingerprint changed.
What is kept is never changed: a request that holds a ledger keeps reading the same figures.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from ..people.active import People, people_from, roster_fingerprint, roster_rows
from ..published import Published
from ..storage.models import PersonException
from . import records
from .acknowledged import Facts, acknowledged
from .assembly import Ledger, assemble, reassess
from .requirements import Requirement, requirements


@dataclass(frozen=True)
class Kept:
    """What a kept ledger was made of, and the ledger."""

    today: dt.date
    wanted: list[Requirement]
    facts: Facts                      # compared by identity: a change makes new facts
    quizzes: tuple[Any, Any]          # passed quizzes (people, latest days)
    people: People                    # compared by identity: see `current_people`
    exceptions: tuple[tuple[Any, ...], ...]
    ledger: Ledger


_rosters: weakref.WeakKeyDictionary[Engine, tuple[tuple[Any, ...], People]] = \
    weakref.WeakKeyDictionary()
_kept: weakref.WeakKeyDictionary[Engine, Kept] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def current_people(session: Session) -> People:
    """The active roster, read and made again only when its fingerprint changed."""
    engine = session.get_bind()
    fingerprint = roster_fingerprint(session)
    with _lock:
        kept = _rosters.get(engine)
        if kept is not None and kept[0] == fingerprint:
            return kept[1]
    # Read after the fingerprint: a change in between only makes the next request read again.
    people = people_from(roster_rows(session))
    with _lock:
        _rosters[engine] = (fingerprint, people)
    return people


def _exception_rows(exceptions: dict[int, list[PersonException]]) -> tuple[tuple[Any, ...], ...]:
    return tuple((e.id, e.person_pk, e.kind, e.document_id, e.until)
                 for items in exceptions.values() for e in items)


def current_ledger(session: Session, published: Published, today: dt.date) -> Ledger:
    """The ledger for every active person on `today`, as `ledger.compute_ledger` would read
    it now."""
    engine = session.get_bind()
    wanted = requirements(published)
    facts = acknowledged(session, wanted)
    by_quiz = [r for r in wanted if r.quiz]
    quizzes = (records.completed(session, by_quiz), records.latest_records(session, by_quiz)) \
        if by_quiz else ({}, {})
    people = current_people(session)
    exceptions = records.exceptions(session)
    rows = _exception_rows(exceptions)
    with _lock:
        kept = _kept.get(engine)
    same = kept is not None and kept.people is people and kept.today == today \
        and kept.quizzes == quizzes and kept.exceptions == rows and kept.wanted == wanted
    if same and kept.facts is facts:
        return kept.ledger
    complete, latest = {**facts.complete, **quizzes[0]}, {**facts.latest, **quizzes[1]}
    if same and facts.changed is not None and facts.version == kept.facts.version + 1:
        # New acknowledgements only: the people who made them are assessed again.
        ledger = reassess(kept.ledger, complete, latest, facts.changed)
    else:
        ledger = assemble(today, people, wanted, complete, latest, exceptions)
    with _lock:
        _kept[engine] = Kept(today, wanted, facts, quizzes, people, rows, ledger)
    return ledger
