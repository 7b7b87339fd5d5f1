"""How long decisions took: every approved version with the days from submission to
decision, and what was waiting for a decision on a given day.

Counted from the **first** submission of the version: a document returned for changes
(*återremiss*) and submitted again keeps its first day, because the wait that matters to the
author — the months without a decision that the sector's 2024 report complains of — started
then. `rutinportal return` writes the day of the submission it answers into the return
(`submitted_on`); for a return written before that, the first submission is not known and the
return's own day stands in: the days are then a lower bound (`exact` is False).

A reinstatement (`rutinportal reinstate`) is a decision without a submission: it has no days.
Read from the catalogue alone (snapshots and the working copies' `returns`); no database.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from ..content.catalogue import Catalogue
from ..content.documents import KIND_BY_PREFIX, Kind, Status, WorkingCopy
from ..content.returns import ReturnRecord

NO_BODY = "Inget organ angivet"


@dataclass(frozen=True)
class Decision:
    """One approved version and the way to its decision."""

    id: str
    kind: Kind
    title: str
    owner: str
    version: int
    body: str                      # the body that decided (its name, as recorded)
    approved_on: dt.date | None
    decision: str | None           # the decision's reference
    sha256: str
    first_submitted: dt.date | None
    last_submitted: dt.date | None
    returns: int = 0               # times this version was returned before the decision
    exact: bool = True             # False: a return without its submission day (a lower bound)
    path: str = ""                 # the snapshot, as shown (approved/<ID>/v<N>.md)

    @property
    def days(self) -> int | None:
        """From the first submission to the decision (None for a reinstatement)."""
        if self.first_submitted is None or self.approved_on is None:
            return None
        return (self.approved_on - self.first_submitted).days

    @property
    def rounds(self) -> int:
        return self.returns + 1


@dataclass(frozen=True)
class Waiting:
    """A version waiting for a decision on a day: `days` since its first submission,
    `round_days` since the submission of the round then before the body (what the dashboard
    and `rutinportal status` show: the wait starts again at each submission)."""

    id: str
    title: str
    version: int
    body: str
    first_submitted: dt.date
    days: int
    round_days: int
    returns: int = 0  # returns before `day`

    @property
    def rounds(self) -> int:
        return self.returns + 1


@dataclass(frozen=True)
class BodyTimes:
    """The decision times of one body (or of all: `body` None)."""

    body: str | None
    count: int
    median: float | None
    longest: int | None
    longest_id: str | None
    returns: int


def _submissions(returns: Iterable[ReturnRecord], submitted: dt.date | None
                 ) -> tuple[list[dt.date], bool]:
    """The submissions of a version, oldest first, and whether they are known exactly."""
    days, exact = [], True
    for record in returns:
        if record.submitted_on is not None:
            days.append(record.submitted_on)
        else:  # written before returns kept their submission: it was no later than this
            days.append(record.date)
            exact = False
    if submitted is not None:
        days.append(submitted)
    return sorted(days), exact


def _first(returns: Iterable[ReturnRecord], submitted: dt.date | None
           ) -> tuple[dt.date | None, bool]:
    """The first submission of a version and whether it is known exactly."""
    days, exact = _submissions(returns, submitted)
    return (days[0] if days else None), exact


def _waiting(id_: str, title: str, version: int, body: str, returns: tuple[ReturnRecord, ...],
             submitted: dt.date | None, day: dt.date) -> Waiting | None:
    """The version as it stood at the end of `day`, if it was then before its body."""
    days, _ = _submissions(returns, submitted)
    before = [d for d in days if d <= day]
    returned = [r for r in returns if r.date <= day]
    if not before or (returned and max(r.date for r in returned) > before[-1]):
        return None  # not yet submitted, or returned and not yet submitted again
    return Waiting(id_, title, version, body, before[0], (day - before[0]).days,
                   (day - before[-1]).days, len(returned))


def _returns_of(doc: WorkingCopy | None, version: int) -> tuple[ReturnRecord, ...]:
    return tuple(r for r in (doc.returns if doc else ()) if r.version == version)


def decisions(catalogue: Catalogue) -> list[Decision]:
    """Every approved version, by document id and version."""
    found = []
    for doc_id, versions in sorted(catalogue.snapshots.items()):
        doc = catalogue.documents.get(doc_id)
        kind = doc.kind if doc else KIND_BY_PREFIX[doc_id.split("-")[0]]
        for snapshot in versions:
            returns = _returns_of(doc, snapshot.version)
            submitted = snapshot.approval.submitted_on
            first, exact = _first(returns, submitted)
            found.append(Decision(
                doc_id, kind, snapshot.content.title, snapshot.content.owner, snapshot.version,
                snapshot.approval.approved_by or NO_BODY, snapshot.approval.approved_on,
                snapshot.approval.decision, snapshot.sha256, first, submitted, len(returns),
                exact, snapshot.shown))
    return found


def decided_between(found: Iterable[Decision], start: dt.date, end: dt.date
                    ) -> list[Decision]:
    return [d for d in found if d.approved_on and start <= d.approved_on <= end]


def waiting_on(catalogue: Catalogue, found: Iterable[Decision], day: dt.date) -> list[Waiting]:
    """What was before a body at the end of `day`: versions submitted by then and decided
    later, and those still submitted today. Longest wait (from the first submission) first."""
    waiting = []
    for decision in found:
        if decision.approved_on is None or decision.approved_on <= day:
            continue
        doc = catalogue.documents.get(decision.id)
        item = _waiting(decision.id, decision.title, decision.version, decision.body,
                        _returns_of(doc, decision.version), decision.last_submitted, day)
        if item is not None:
            waiting.append(item)
    organisation = catalogue.organisation
    for doc in catalogue.documents.values():
        if doc.status is not Status.SUBMITTED:
            continue
        body = organisation.body_of(doc.content.decided_by)
        item = _waiting(doc.id, doc.content.title, doc.content.version,
                        body.name if body else (doc.content.decided_by or NO_BODY),
                        _returns_of(doc, doc.content.version), doc.approval.submitted_on, day)
        if item is not None:
            waiting.append(item)
    waiting.sort(key=lambda w: (-w.days, w.id))
    return waiting


def times(found: list[Decision], body: str | None = None) -> BodyTimes:
    """Median and longest days from first submission to decision (of those with a
    submission), and the returns before them."""
    mine = [d for d in found if body is None or d.body == body]
    timed = [d for d in mine if d.days is not None]
    longest = max(timed, key=lambda d: (d.days, d.id), default=None)
    return BodyTimes(body, len(timed),
                     statistics.median(d.days for d in timed) if timed else None,
                     longest.days if longest else None, longest.id if longest else None,
                     sum(d.returns for d in mine))


def times_by_body(found: list[Decision]) -> list[BodyTimes]:
    return [times(found, body) for body in sorted({d.body for d in found})]
