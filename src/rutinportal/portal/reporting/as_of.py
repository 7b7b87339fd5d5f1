"""The portal's view on a past day: what was published then, and the ledger of that day.

On today (or later) it is exactly what the dashboard reads: the built site's `catalog.json`
and `build_ledger` over everything recorded. On a past day — the end of a year or a quarter —
the published documents are those approved by then and not yet retired, each at the version
in force that day (from the catalogue's snapshots, the same records `catalog.json` is made
of), and the ledger counts only what had been recorded by the end of that day
(`build_ledger(recorded_by=…)`). The figures themselves are then the dashboard's functions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ...approval.status import in_force, retired_by
from ...content.catalogue import Catalogue
from ...content.documents import Status
from ...content.publications import Publication, site_path
from ...site.urls import page_url
from ..access.policy import Scope
from ..campaigns.ledger import Ledger, build_ledger
from ..dashboard.figures import Figures, figures
from ..people.active import People
from ..published import Published, PublishedDocument

EVERY_UNIT = Scope(True, frozenset())


def _approved_on(pub: Publication, version: int) -> dt.date | None:
    snapshot = next((s for s in pub.history if s.version == version), None)
    return snapshot.approval.approved_on if snapshot else None


def published_on(published: Published, catalogue: Catalogue, day: dt.date) -> Published:
    """What was published at the end of `day`, in the form the portal reads."""
    documents: dict[str, PublishedDocument] = {}
    quizzes, quiz_documents = {}, {}
    default_due = catalogue.organisation.due_days
    for doc in sorted(catalogue.documents.values(), key=lambda d: d.id):
        versions = tuple(in_force(catalogue, doc.id, day))
        if not versions or retired_by(doc, day):
            continue
        latest = versions[-1]
        pub = Publication(doc.kind, latest.content, latest.approval, latest.body,
                          latest.sha256, site_path(doc.kind, latest.source), latest.shown,
                          versions, Status.APPROVED, latest.quiz, latest.body_line)
        content = latest.content
        documents[doc.id] = PublishedDocument(
            doc.id, doc.kind, content.title, content.version, latest.sha256,
            tuple(content.audience), content.mandatory, latest.quiz.id if latest.quiz else None,
            pub.acknowledge_from, page_url(pub.site_path),
            pub.next_review.isoformat() if pub.next_review else None, content.owner,
            pub.approved_on, _approved_on(pub, pub.acknowledge_from) or pub.approved_on,
            content.due_days or default_due, content.renew_months)
        if latest.quiz is not None:
            quizzes[latest.quiz.id] = latest.quiz
            quiz_documents[latest.quiz.id] = doc.id
    return dataclasses.replace(published, documents=documents, quizzes=quizzes,
                               quiz_documents=quiz_documents, sources=dict(quizzes))


@dataclass
class Moment:
    """The dashboard's figures (every unit) on one day, with what they were made of."""

    day: dt.date
    published: Published
    ledger: Ledger
    figures: Figures


def ledger_on(session: Session, published: Published, day: dt.date, today: dt.date,
              people: People | None = None) -> Ledger:
    """The ledger of `day`: the live one (everything recorded) from today on."""
    if day >= today:
        return build_ledger(session, published, today, people=people)
    return build_ledger(session, published, day, people=people, recorded_by=day)


def moment(session: Session, published: Published, catalogue: Catalogue, day: dt.date,
           today: dt.date) -> Moment:
    """The figures on `day`; today's (the live dashboard's) when `day` is today or later."""
    then = published if day >= today else published_on(published, catalogue, day)
    day = min(day, today)
    ledger = ledger_on(session, then, day, today)
    return Moment(day, then, ledger, figures(session, then, catalogue, EVERY_UNIT, day, ledger))


def course_view(published: Published, course_id: str) -> Published:
    """Only a course's published modules, each counted as if it were mandatory: the one rule
    then tells who it is offered to (since when) and who has completed it, also for a course
    that is offered rather than required (the staff course `grund`)."""
    course = next((c for c in published.courses if c.get("id") == course_id), {})
    modules = [published.documents[m] for m in course.get("modules", [])
               if m in published.documents]
    documents = {m.id: dataclasses.replace(m, mandatory=True) for m in modules}
    return dataclasses.replace(published, documents=documents)
