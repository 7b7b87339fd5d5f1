"""The annual report's figures for one year, each taken from the one place that computes it:
the dashboard's functions on the year's last day and each quarter's last day (`as_of`), the
catalogue's approved versions, returns and retirements (`approval.decision_times`), and the
attempts until pass (`dashboard.attempts`). Nothing is counted twice in two ways.

For the current year the figures are today's (the year has not ended), exactly the dashboard's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from ...approval.decision_times import (BodyTimes, Decision, Waiting, decided_between,
                                        decisions, times, times_by_body, waiting_on)
from ...content.catalogue import Catalogue
from ...content.documents import Kind
from ..campaigns.ledger import NONE, Count
from ..campaigns.requirements import STAFF_COURSE
from ..dashboard.attempts import quiz_progress
from ..dashboard.training import Training, course_training
from ..published import Published
from .as_of import EVERY_UNIT, Moment, course_view, ledger_on, moment

QUARTER_ENDS = ((3, 31), (6, 30), (9, 30), (12, 31))


@dataclass(frozen=True)
class Change:
    """A document that was new, revised or retired during the year."""

    id: str
    kind: Kind
    title: str
    version: int
    on: dt.date
    decision: str | None


@dataclass(frozen=True)
class QuizFirst:
    """A quiz: who tried it (at the version in force), passed at once, passed at all."""

    quiz_id: str
    title: str
    tried: int
    first: int
    passed: int


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    approved_on: dt.date | None
    routines: tuple[tuple[str, str], ...]  # (id, title) of the routines it links to
    new: bool


@dataclass
class AnnualReport:
    year: int
    made_on: dt.date
    end: dt.date                        # the year's last day, or today for the current year
    at_end: Moment
    quarters: list[tuple[str, Moment]]  # (label, figures at the quarter's end)
    published: dict[Kind, int]
    new: list[Change]
    revised: list[Change]
    retired: list[Change]
    decided: list[Decision]
    decision_times: BodyTimes
    decision_times_by_body: list[BodyTimes]
    waiting: list[Waiting]
    nis2_by_unit: list[tuple[str, Count]]
    staff_course: Training
    staff_by_unit: list[tuple[str, Count]]
    quizzes: list[QuizFirst]
    lessons: list[Lesson]
    notes: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.end == dt.date(self.year, 12, 31)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)


def quarter_days(year: int, today: dt.date) -> list[tuple[str, dt.date]]:
    """Each quarter's last day that has begun by `today` (the running one: today)."""
    found = []
    for number, (month, day) in enumerate(QUARTER_ENDS, start=1):
        end = dt.date(year, month, day)
        begun = dt.date(year, month - 2, 1)
        if begun > today:
            break
        label = f"Kv. {number}" if end <= today else f"Kv. {number} (t.o.m. {today.isoformat()})"
        found.append((label, min(end, today)))
    return found


def _changes(catalogue: Catalogue, start: dt.date, end: dt.date
             ) -> tuple[list[Change], list[Change], list[Change]]:
    new, revised, retired = [], [], []
    for doc_id, versions in sorted(catalogue.snapshots.items()):
        for index, snapshot in enumerate(versions):
            on = snapshot.approval.approved_on
            if on is None or not start <= on <= end:
                continue
            change = Change(doc_id, catalogue.documents[doc_id].kind if doc_id in
                            catalogue.documents else Kind.ROUTINE, snapshot.content.title,
                            snapshot.version, on, snapshot.approval.decision)
            (revised if index else new).append(change)
    for doc in sorted(catalogue.documents.values(), key=lambda d: d.id):
        on = doc.retirement.get("retired_on")
        if on is not None and start <= on <= end:
            retired.append(Change(doc.id, doc.kind, doc.content.title, doc.content.version, on,
                                  doc.retirement.get("retired_decision")))
    return new, revised, retired


def by_unit(training: Training, name) -> list[tuple[str, Count]]:
    """Completion per unit: each person in the units they manage (a manager) or belong to;
    someone in two units counts in both."""
    counts: dict[str, Count] = defaultdict(lambda: NONE)
    for person in training.managers:
        for unit in person.manages or person.units or ("",):
            counts[unit] += Count(int(person.done), 1)
    return sorted(((name(u) if u else "Utan enhet", c) for u, c in counts.items()),
                  key=lambda item: item[0].casefold())


def first_attempts(session: Session, at: Moment, today: dt.date) -> list[QuizFirst]:
    """Per document quiz (at the version in force): first-attempt pass rate."""
    progress = quiz_progress(session, at.published, at.ledger.people, EVERY_UNIT,
                             until=at.day if at.day < today else None)
    tried: dict[str, list] = defaultdict(list)
    for item in progress:
        if at.published.quiz_documents.get(item.quiz_id):
            tried[item.quiz_id].append(item)
    return [QuizFirst(q, items[0].quiz_title, len(items),
                      sum(1 for i in items if i.until_pass == 1),
                      sum(1 for i in items if i.until_pass is not None))
            for q, items in sorted(tried.items(), key=lambda kv: kv[1][0].quiz_title.casefold())]


def _lessons(catalogue: Catalogue, published: Published, start: dt.date) -> list[Lesson]:
    found = []
    for doc in sorted(published.documents.values(), key=lambda d: d.id):
        if doc.kind is not Kind.LESSON:
            continue
        versions = catalogue.snapshots.get(doc.id, [])
        snapshot = next((s for s in versions if s.version == doc.version), None)
        related = snapshot.content.related if snapshot else ()
        routines = tuple((r, published.documents[r].title) for r in related
                         if r in published.documents
                         and published.documents[r].kind is Kind.ROUTINE)
        first = versions[0].approval.approved_on if versions else None
        found.append(Lesson(doc.id, doc.title, doc.approved_on, routines,
                            bool(first and first >= start)))
    return found


def annual_report(session: Session, published: Published, catalogue: Catalogue, year: int,
                  today: dt.date) -> AnnualReport:
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    at_end = moment(session, published, catalogue, end, today)
    quarters = [(label, at_end if day == at_end.day else
                 moment(session, published, catalogue, day, today))
                for label, day in quarter_days(year, today)]
    kinds: dict[Kind, int] = {kind: 0 for kind in Kind}
    for doc in at_end.published.documents.values():
        kinds[doc.kind] += 1
    new, revised, retired = _changes(catalogue, start, end)
    every = decisions(catalogue)
    decided = decided_between(every, start, end)
    view = course_view(at_end.published, STAFF_COURSE)
    staff = course_training(ledger_on(session, view, at_end.day, today, at_end.ledger.people),
                            view, EVERY_UNIT, STAFF_COURSE)
    name = at_end.published.organisation.name
    return AnnualReport(
        year, today, end, at_end, quarters, kinds, new, revised, retired, decided,
        times(decided), times_by_body(decided), waiting_on(catalogue, every, end),
        by_unit(at_end.figures.training, name), staff, by_unit(staff, name),
        first_attempts(session, at_end, today), _lessons(catalogue, at_end.published, start))
