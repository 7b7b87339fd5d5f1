"""Documents waiting for a decision, and reviews that are overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ...approval.status import in_force, status_rows
from ...content.catalogue import Catalogue
from ...content.documents import Approval


@dataclass(frozen=True)
class Pending:
    """A document waiting for a decision, or whose review is overdue."""

    id: str
    title: str
    status: str  # in Swedish
    days_waiting: int | None
    next_review: dt.date | None
    days_overdue: int | None
    decision: str | None  # the latest approval: its decision and who made it
    approved_by: str | None
    body: str | None = None  # the body that decides it (waiting documents are grouped by it)
    rounds: int = 1          # times this version has been before the body (returns + 1)


@dataclass
class Approvals:
    waiting: list[Pending]  # by body, longest wait first
    overdue: list[Pending]  # most overdue first

    @property
    def longest_wait(self) -> int | None:
        return max((p.days_waiting or 0 for p in self.waiting), default=None)

    @property
    def waiting_by_body(self) -> list[tuple[str, list[Pending]]]:
        """The waiting documents per deciding body (by name), longest wait first in each."""
        bodies = sorted({p.body or "Inget organ angivet" for p in self.waiting})
        return [(b, [p for p in self.waiting if (p.body or "Inget organ angivet") == b])
                for b in bodies]


def approvals(catalogue: Catalogue, today: dt.date) -> Approvals:
    waiting, overdue = [], []
    for row in status_rows(catalogue, today):
        if row.days_waiting is None and not row.overdue:
            continue
        snapshots = in_force(catalogue, row.id, today)
        latest = snapshots[-1].approval if snapshots else Approval()
        item = Pending(row.id, row.title, row.status.label,
                       row.days_waiting, row.next_review,
                       (today - row.next_review).days if row.overdue and row.next_review
                       else None,
                       latest.decision, latest.approved_by, row.body, row.rounds)
        if row.days_waiting is not None:
            waiting.append(item)
        if row.overdue:
            overdue.append(item)
    waiting.sort(key=lambda p: (p.body or "", -(p.days_waiting or 0), p.id))
    overdue.sort(key=lambda p: (-(p.days_overdue or 0), p.id))
    return Approvals(waiting, overdue)
