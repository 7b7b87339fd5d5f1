"""`catalog.json`: every published document and quiz, the portal's source of what is published.

Only public facts go here: no answer keys, no drafts. The portal grades each quiz from the
copy frozen with the approved version this file lists (`approved/<ID>/v<N>.quiz.yml`).

What is owed and by when (`portal.campaigns`) reads three facts per document: the approval
date of the version acknowledgements count from (`acknowledge_from_approved_on`), the days the
audience has (`due_days`, the document's or organisation.yml's default) and `renew_months`;
and per course the day it was first published (`published_on`). Format 1 gained these keys:
a reader of format 1 that ignores unknown keys reads it as before.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from .context import SiteContext
from .urls import page_url, quiz_uri, reading_list_uri

FORMAT_VERSION = 1


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _approved_on(pub, version: int) -> dt.date | None:
    """The approval date of `version` of a published document (None in a preview's draft)."""
    if pub.version == version:
        return pub.approved_on
    snapshot = next((s for s in pub.history if s.version == version), None)
    return snapshot.approval.approved_on if snapshot else None


def _first_published(pubs) -> dt.date | None:
    days = [p.history[0].approval.approved_on for p in pubs if p.history]
    return min((d for d in days if d), default=None)


def catalog(ctx: SiteContext) -> dict[str, Any]:
    default_due = ctx.catalogue.organisation.due_days
    documents = []
    for pub in ctx.publications:
        content, approval, quiz = pub.content, pub.approval, ctx.quiz_of(pub)
        documents.append({
            "id": pub.id,
            "kind": pub.kind.value,
            "title": pub.title,
            "owner": content.owner,
            "version": pub.version,
            "sha256": pub.sha256,
            "audience": list(content.audience),
            "mandatory": content.mandatory,
            "quiz": quiz.id if quiz else None,
            "acknowledge_from": pub.acknowledge_from,
            "acknowledge_from_approved_on": _iso(_approved_on(pub, pub.acknowledge_from)),
            "due_days": content.due_days or default_due,
            "renew_months": content.renew_months,
            "approved_on": _iso(pub.approved_on),
            "approved_by": approval.approved_by if approval else None,
            "decision": approval.decision if approval else None,
            "next_review": _iso(pub.next_review),
            "url": page_url(pub.site_path),
            "draft": pub.draft,
        })
    quizzes = []
    for quiz_id, pub in sorted(ctx.published_quizzes.items()):
        quiz = pub.quiz
        quizzes.append({"id": quiz_id, "title": quiz.title, "version": quiz.version,
                        "pass_mark": quiz.pass_mark, "document_id": pub.id,
                        "sources": [quiz_id], "url": page_url(quiz_uri(quiz_id))})
    reading_lists = []
    for audience in ctx.catalogue.organisation.audiences.values():
        combined = ctx.reading_list_quizzes.get(audience.id)
        if combined is not None:
            sources = sorted({q.id.split("--")[0] for q in combined.questions})
            quizzes.append({"id": combined.id, "title": combined.title,
                            "version": combined.version, "pass_mark": combined.pass_mark,
                            "document_id": None, "sources": sources,
                            "url": page_url(quiz_uri(combined.id))})
        reading_lists.append({"audience": audience.id, "name": audience.name,
                              "kind": audience.kind, "url": page_url(reading_list_uri(audience.id)),
                              "quiz": combined.id if combined else None})
    courses = [{"id": c.id, "title": c.title,
                "modules": [p.id for p in ctx.course_modules(c.id)],
                "published_on": _iso(_first_published(ctx.course_modules(c.id)))}
               for c in ctx.catalogue.courses]
    return {
        "format": FORMAT_VERSION,
        "generated": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "preview": ctx.preview,
        "documents": documents,
        "quizzes": quizzes,
        "reading_lists": reading_lists,
        "courses": courses,
    }


def dumps(ctx: SiteContext) -> str:
    return json.dumps(catalog(ctx), ensure_ascii=False, indent=1)
