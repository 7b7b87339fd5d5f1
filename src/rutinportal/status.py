"""The coordinator's overview: every document's state, waiting time and next review."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .catalogue import Catalogue, add_months
from .documents import STATUS_NAMES


@dataclass
class StatusRow:
    id: str
    title: str
    status: str
    version: int | None
    published_version: int | None
    days_waiting: int | None
    next_review: dt.date | None
    overdue: bool
    path: str


def status_rows(catalogue: Catalogue, today: dt.date) -> list[StatusRow]:
    rows = []
    for doc in sorted(catalogue.documents.values(), key=lambda d: d.id):
        meta = doc.meta
        versions = catalogue.snapshots.get(doc.id, [])
        latest = versions[-1] if versions else None
        status = meta.get("status") or "draft"
        retired = status == "retired"
        waiting = None
        if status == "submitted" and meta.get("submitted_on"):
            waiting = (today - meta["submitted_on"]).days
        review = None
        if latest and not retired and latest.meta.get("approved_on"):
            review = add_months(latest.meta["approved_on"], latest.meta.get("review_months") or 12)
        rows.append(StatusRow(doc.id, meta.get("title") or "", status, meta.get("version"),
                              None if retired or not latest else latest.version, waiting,
                              review, bool(review and review < today), doc.shown))
    return rows


def format_table(rows: list[StatusRow]) -> str:
    header = ("Id", "Status", "Version", "Publicerad", "Väntar på beslut", "Nästa översyn",
              "Titel")
    table = [header]
    for row in rows:
        table.append((
            row.id,
            STATUS_NAMES[row.status],
            str(row.version or "–"),
            f"v{row.published_version}" if row.published_version else "–",
            f"{row.days_waiting} dagar" if row.days_waiting is not None else "–",
            (f"{row.next_review} FÖRSENAD" if row.overdue else str(row.next_review))
            if row.next_review else "–",
            row.title,
        ))
    widths = [max(len(r[i]) for r in table) for i in range(len(header) - 1)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r[:-1], widths, strict=True)) + "  " + r[-1]
             for r in table]
    waiting = [r for r in rows if r.days_waiting is not None]
    overdue = [r for r in rows if r.overdue]
    lines.append("")
    lines.append(f"{len(rows)} dokument, {len(waiting)} väntar på beslut"
                 + (f" (längst {max(r.days_waiting for r in waiting)} dagar)" if waiting else "")
                 + f", {len(overdue)} med försenad översyn.")
    return "\n".join(lines)
