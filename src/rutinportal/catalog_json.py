"""`catalog.json`: every published document and quiz, the portal's source of what is published.

Only public facts go here: no answer keys, no drafts. The portal grades quizzes from the
repository's quiz files, restricted to the quizzes this file lists.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from .pages import (SiteContext, course_modules, quiz_uri, reading_list_quiz, reading_list_uri)

FORMAT_VERSION = 1


def _page_url(src_uri: str) -> str:
    stem = src_uri[: -len(".md")]
    if stem.endswith("index"):
        stem = stem[: -len("index")]
    return "/" + (stem + "/" if stem and not stem.endswith("/") else stem)


def catalog(ctx: SiteContext) -> dict[str, Any]:
    documents = []
    for pub in ctx.publications:
        meta = pub.meta
        documents.append({
            "id": pub.id,
            "kind": pub.kind.name,
            "title": pub.title,
            "owner": meta["owner"],
            "version": pub.version,
            "sha256": pub.sha256,
            "audience": list(meta["audience"]),
            "mandatory": bool(meta.get("mandatory")),
            "quiz": meta.get("quiz") if meta.get("quiz") in ctx.catalogue.quizzes else None,
            "acknowledge_from": pub.acknowledge_from,
            "approved_on": pub.approved_on.isoformat() if pub.approved_on else None,
            "approved_by": None if pub.draft else meta.get("approved_by"),
            "decision": None if pub.draft else meta.get("decision"),
            "next_review": pub.next_review.isoformat() if pub.next_review else None,
            "url": _page_url(pub.site_path),
            "draft": pub.draft,
        })
    quizzes = []
    for quiz_id, pub in sorted(ctx.published_quizzes.items()):
        quiz = ctx.catalogue.quizzes[quiz_id]
        quizzes.append({"id": quiz_id, "title": quiz.title, "version": quiz.version,
                        "pass_mark": quiz.pass_mark, "document_id": pub.id,
                        "sources": [quiz_id], "url": _page_url(quiz_uri(quiz_id))})
    reading_lists = []
    for audience in ctx.catalogue.organisation.audiences.values():
        combined = reading_list_quiz(ctx, audience)
        if combined is not None:
            sources = sorted({q.id.split("--")[0] for q in combined.questions})
            quizzes.append({"id": combined.id, "title": combined.title,
                            "version": combined.version, "pass_mark": combined.pass_mark,
                            "document_id": None, "sources": sources,
                            "url": _page_url(quiz_uri(combined.id))})
        reading_lists.append({"audience": audience.id, "name": audience.name,
                              "kind": audience.kind, "url": _page_url(reading_list_uri(audience.id)),
                              "quiz": combined.id if combined else None})
    courses = [{"id": c.id, "title": c.title,
                "modules": [p.id for p in course_modules(ctx, c.id)]}
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
