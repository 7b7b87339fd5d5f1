"""Documents waiting for a decision, and reviews that are overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ...approval.status import status_rows
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


@dataclass
class Approvals:
    waiting: list[Pending]  # longest wait first
    overdue: list[Pending]  # most overdue first

    @property
    def longest_wait(self) -> int | None:
        return self.waiting[0].days_waiting if self.waiting else None


def approvals(catalogue: Catalogue, today: dt.date) -> Approvals:
    waiting, overdue = [], []
    for row in status_rows(catalogue, today):
        if row.days_waiting is None and not row.overdue:
            continue
        snapshots = catalogue.snapshots.get(row.id) or []
        latest = snapshots[-1].approval if snapshots else Approval()
        item = Pending(row.id, row.title, row.status.label,
                       row.days_waiting, row.next_review,
                       (today - row.next_review).days if row.overdue and row.next_review
                       else None,
                       latest.decision, latest.approved_by)
        if row.days_waiting is not None:
            waiting.append(item)
        if row.overdue:
            overdue.append(item)
    waiting.sort(key=lambda p: (-(p.days_waiting or 0), p.id))
    overdue.sort(key=lambda p: (-(p.days_overdue or 0), p.id))
    return Approvals(waiting, overdue)
