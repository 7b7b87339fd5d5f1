"""The coordinator's overview: every document's state, waiting time per deciding body,
returns for changes and next review."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..content.catalogue import Catalogue
from ..content.documents import Status
from ..content.publications import add_months
from ..content.returns import ReturnRecord


@dataclass
class StatusRow:
    id: str
    title: str
    status: Status
    version: int | None
    published_version: int | None
    days_waiting: int | None
    next_review: dt.date | None
    overdue: bool
    path: str
    body: str | None = None                  # the deciding body's name
    returns: tuple[ReturnRecord, ...] = ()   # of the version being written or decided

    @property
    def rounds(self) -> int:
        """How many times this version has been (or is) before its body: returns + 1."""
        return len(self.returns) + 1


def in_force(catalogue: Catalogue, doc_id: str, day: dt.date) -> list:
    """The approved versions of a document decided by the end of `day`, oldest first."""
    return [s for s in catalogue.snapshots.get(doc_id, [])
            if s.approval.approved_on is None or s.approval.approved_on <= day]


def retired_by(doc, day: dt.date) -> bool:
    """The document is retired, and was by the end of `day` (its decision's date)."""
    on = doc.retirement.get("retired_on")
    return doc.status is Status.RETIRED and (on is None or on <= day)


def status_rows(catalogue: Catalogue, today: dt.date) -> list[StatusRow]:
    """Every document on `today`: its published version and review as they stood then (only
    the versions decided by `today` count, so a past day gives that day's reviews); the
    working copy's status and wait are today's."""
    rows = []
    organisation = catalogue.organisation
    for doc in sorted(catalogue.documents.values(), key=lambda d: d.id):
        versions = in_force(catalogue, doc.id, today)
        latest = versions[-1] if versions else None
        status = doc.status or Status.DRAFT
        retired = retired_by(doc, today)
        waiting = None
        if status is Status.SUBMITTED and doc.approval.submitted_on:
            waiting = (today - doc.approval.submitted_on).days
        review = None
        if latest and not retired and latest.approval.approved_on:
            review = add_months(latest.approval.approved_on, latest.content.review_months)
        body = organisation.body_of(doc.content.decided_by)
        returns = tuple(r for r in doc.returns if r.version == doc.content.version)
        rows.append(StatusRow(doc.id, doc.content.title, status, doc.content.version or None,
                              None if retired or not latest else latest.version, waiting,
                              review, bool(review and review < today), doc.shown,
                              body.name if body else doc.content.decided_by, returns))
    return rows


def format_table(rows: list[StatusRow]) -> str:
    header = ("Id", "Status", "Version", "Publicerad", "Väntar på beslut", "Nästa översyn",
              "Titel")
    table = [header]
    for row in rows:
        table.append((
            row.id,
            row.status.label,
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
    if waiting:
        lines += ["", "Väntar på beslut, per organ:"]
        for body in sorted({r.body or "Inget organ angivet" for r in waiting}):
            lines.append(f"  {body}:")
            for row in sorted((r for r in waiting if (r.body or "Inget organ angivet") == body),
                              key=lambda r: (-(r.days_waiting or 0), r.id)):
                round_text = f", omgång {row.rounds}" if row.rounds > 1 else ""
                lines.append(f"    {row.id} v{row.version}: {row.days_waiting} dagar"
                             f"{round_text} – {row.title}")
    returned = [r for r in rows if r.returns]
    if returned:
        lines += ["", "Återremisser:"]
        for row in returned:
            for record in row.returns:
                ref = f" ({record.decision})" if record.decision else ""
                lines.append(f"  {row.id} v{record.version} {record.date.isoformat()} "
                             f"{record.by}{ref}: {record.comment}")
    lines.append("")
    lines.append(f"{len(rows)} dokument, {len(waiting)} väntar på beslut"
                 + (f" (längst {max(r.days_waiting for r in waiting)} dagar)" if waiting else "")
                 + f", {len(overdue)} med försenad översyn.")
    return "\n".join(lines)
