"""What the acknowledgements say about the requirements, kept in memory for each database and
brought up to date by reading only the rows added since the last read.

Acknowledgements are append-only evidence (`storage.models`: never updated or deleted; a
restore is done with the portal stopped), so what they say only grows: who has a record that
counts (`records.completed`) and, for requirements that expire, the day of the latest one
(`records.latest_records`). Reading all of them for every dashboard request costs more than
the whole page may (555,000 rows for 3,000 people and 200 routines: 0.1–0.2 s for the
aggregate alone, on SQLite and PostgreSQL); reading the new ones costs one query by the
primary key. SQLite has one writer at a time, so ids become visible in order; the missing
ids below are PostgreSQL's.

The first read aggregates in the database (`records.completed`, `records.latest_records`, up
to the newest `TAIL` ids) and fetches the newest `TAIL` ids row by row; later reads fetch the
rows above the highest id seen. On PostgreSQL ids come from a sequence and concurrent
transactions may commit out of order, so an id below the highest seen can still arrive (a
transaction in flight) or never (rolled back, or an `ON CONFLICT DO NOTHING` that drew an id).
Each such id is asked for again at every read until `GAP_SECONDS` after it was first missed.

The facts belong to one list of requirements (what is published); another list (a new build)
starts afresh. Thread-safe: a read holds the lock while it brings the facts up to date, and
the `Facts` handed out are never changed (a change makes new ones).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import weakref
from collections.abc import Iterable, Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from ..storage.models import Acknowledgement, AptMeeting
from ..storage.moments import local_day
from . import records
from .requirements import Requirement

# A transaction that writes acknowledgements commits within milliseconds (the group
# commit's batches, a workplace meeting); these bounds leave it minutes. The first read trusts
# the aggregate below the newest TAIL ids: no transaction is that far behind.
TAIL = 5_000          # the newest ids read one by one at the first read
GAP_SECONDS = 300.0   # how long an id missing below the highest seen is asked for again
MAX_GAPS = 5_000      # more missing ids than this: read the range above the lowest instead


@dataclass(frozen=True)
class Facts:
    """Requirement key → the people with a record that counts; (key, person) → the day of
    the latest such record, for the requirements that expire. `version` grows with every
    change; `changed` are the people whose facts differ from those of version `version - 1`
    (everybody's may, for the first). Never changed once made."""

    complete: dict[str, AbstractSet[int]]
    latest: dict[tuple[str, int], dt.date]
    version: int
    changed: frozenset[int] | None = None  # None: not known (the first facts)


def people_set(pks: Iterable[int]) -> AbstractSet[int]:
    """A set of person keys the garbage collector does not walk: the keys of a dict of ints
    (a dict holding only ints is untracked; a set of 250,000 ints added some 10 ms to every
    full collection of the portal process). It answers `in`, `&`, `|` and `-` like a set."""
    return dict.fromkeys(pks).keys()


def signature(requirements: list[Requirement]) -> tuple:
    """What the facts depend on: each acknowledged requirement's document, the version
    records count from, and whether it expires."""
    return tuple((r.key, r.id, r.document.acknowledge_from, bool(r.renew_months))
                 for r in requirements if not r.quiz)


class Acknowledged:
    """The facts of one database for one list of requirements."""

    def __init__(self, requirements: list[Requirement]):
        self.signature = signature(requirements)
        wanted = [r for r in requirements if not r.quiz]
        self.requirements = wanted
        self.by_document = {r.id: r for r in wanted}
        self.highest = 0                  # the highest id seen
        self.gaps: dict[int, float] = {}  # id missing below `highest` → when first missed
        self.loaded = False
        self.lock = threading.Lock()
        # Replaced, never changed: what `facts` handed out stays as it was.
        self.current = Facts({r.key: people_set(()) for r in wanted}, {}, 0)

    def facts(self, session: Session) -> Facts:
        """Up to date with what `session` sees now."""
        with self.lock:
            if not self.loaded:
                self._load(session)
                self.loaded = True
            else:
                self._read_new(session)
            return self.current

    # -- reading ----------------------------------------------------------------------

    def _load(self, session: Session) -> None:
        top = session.scalar(select(func.max(Acknowledgement.id))) or 0
        below = max(0, top - TAIL)
        if below:
            upto = Acknowledgement.id <= below
            complete = records.completed(session, self.requirements, where=[upto])
            latest = records.latest_records(session, self.requirements, where=[upto])
            self.current = Facts({r.key: people_set(complete.get(r.key, ()))
                                  for r in self.requirements}, latest, 1)
        self.highest = below
        self._read_new(session)

    def _read_new(self, session: Session) -> None:
        now = time.monotonic()
        asked = sorted(self.gaps)
        if len(asked) > MAX_GAPS:
            condition = Acknowledgement.id >= asked[0]
        elif asked:
            condition = or_(Acknowledgement.id > self.highest, Acknowledgement.id.in_(asked))
        else:
            condition = Acknowledgement.id > self.highest
        rows = session.execute(
            select(Acknowledgement.id, Acknowledgement.person_pk, Acknowledgement.document_id,
                   Acknowledgement.version, Acknowledgement.acknowledged_at,
                   AptMeeting.held_on)
            .outerjoin(AptMeeting, AptMeeting.id == Acknowledgement.meeting_id)
            .where(condition)).all()
        new = [row for row in rows if row[0] > self.highest or row[0] in self.gaps]
        self._add(new)
        seen = {row[0] for row in new}
        top = max(seen, default=self.highest)
        for missing in range(self.highest + 1, top):
            if missing not in seen:
                self.gaps[missing] = now
        for found in seen & self.gaps.keys():
            del self.gaps[found]
        for stale in [i for i, since in self.gaps.items() if now - since > GAP_SECONDS]:
            del self.gaps[stale]
        self.highest = max(self.highest, top)

    def _add(self, rows: list[Any]) -> None:
        added: dict[str, set[int]] = {}
        later: dict[tuple[str, int], dt.date] = {}
        current = self.current
        for _, pk, document_id, version, moment, held_on in rows:
            requirement = self.by_document.get(document_id)
            if requirement is None or version < requirement.document.acknowledge_from:
                continue
            key = requirement.key
            if pk not in current.complete[key]:
                added.setdefault(key, set()).add(pk)
            if requirement.renew_months:
                day = held_on or local_day(moment)
                if day > later.get((key, pk), current.latest.get((key, pk), dt.date.min)):
                    later[(key, pk)] = day
        if added or later:
            complete = dict(current.complete)
            for key, pks in added.items():
                complete[key] = people_set((*complete[key], *pks))
            changed = frozenset().union(*added.values(), (pk for _, pk in later))
            self.current = Facts(complete, {**current.latest, **later} if later
                                 else current.latest, current.version + 1,
                                 changed if self.loaded else None)


_caches: weakref.WeakKeyDictionary[Engine, Acknowledged] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def acknowledged(session: Session, requirements: list[Requirement]) -> Facts:
    """The facts for `requirements` in the database of `session`, up to date."""
    engine = session.get_bind()
    wanted = signature(requirements)
    with _caches_lock:
        cache = _caches.get(engine)
        if cache is None or cache.signature != wanted:
            cache = _caches[engine] = Acknowledged(requirements)
    return cache.facts(session)
