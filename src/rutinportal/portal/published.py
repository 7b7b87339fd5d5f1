"""What is published, as the portal sees it: the built site's `catalog.json` and the quizzes.

`catalog.json` is the portal's single source of which documents and quiz versions are
published. The answer keys are not in the site: they come from the quiz frozen with each
published version (`approved/<ID>/v<N>.quiz.yml`, verified with its snapshot's hash), never
from the editable `quizzes/` (a reading list's quiz is assembled with
`quiz.combining.combine` from the sources the catalogue names, as the build did).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content.documents import Kind
from ..content.organisation import Organisation, load_organisation
from ..content.quizzes import Quiz
from ..content.snapshots import read_snapshot, snapshot_path
from ..errors import UserError
from ..quiz.combining import combine


@dataclass(frozen=True)
class PublishedDocument:
    """One document of `catalog.json`."""

    id: str
    kind: Kind
    title: str
    version: int
    sha256: str
    audience: tuple[str, ...]
    mandatory: bool
    quiz: str | None
    acknowledge_from: int
    url: str
    next_review: str | None
    owner: str
    approved_on: dt.date | None = None
    owed_from: dt.date | None = None  # approval of the version acknowledgements count from
    due_days: int = 30                # the audience has this many days from then
    renew_months: int | None = None   # an acknowledgement or pass expires after this


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@dataclass
class Published:
    documents: dict[str, PublishedDocument]
    quizzes: dict[str, Quiz]
    quiz_documents: dict[str, str | None]
    courses: list[dict[str, Any]]
    organisation: Organisation
    reading_lists: dict[str, str] = field(default_factory=dict)  # audience id → URL
    sources: dict[str, Quiz] = field(default_factory=dict)  # the quiz files, by id (drawing)


def _frozen_quizzes(root: Path, documents) -> dict[str, Quiz]:
    """The quiz of each published version, as approved (frozen with its snapshot)."""
    quizzes: dict[str, Quiz] = {}
    for doc in documents:
        if not doc.quiz:
            continue
        snapshot, problems = read_snapshot(snapshot_path(root, doc.id, doc.version), root)
        if problems or snapshot is None or snapshot.sha256 != doc.sha256:
            continue  # changed since the build (the build would refuse it): not gradable
        if snapshot.quiz is not None:
            quizzes[snapshot.quiz.id] = snapshot.quiz
    return quizzes


def load_published(root: Path, site_dir: Path) -> Published:
    catalog_path = site_dir / "catalog.json"
    if not catalog_path.exists():
        raise UserError(f"{catalog_path} saknas: bygg webbplatsen först (rutinportal build)")
    data = json.loads(catalog_path.read_text(encoding="utf-8"))
    if data.get("preview"):
        raise UserError(f"{catalog_path} hör till en förhandsvisning; portalen visar bara den "
                        "publicerade webbplatsen")
    organisation, _ = load_organisation(root)
    documents = {}
    for item in data["documents"]:
        approved_on = _day(item.get("approved_on"))
        documents[item["id"]] = PublishedDocument(
            item["id"], Kind(item["kind"]), item["title"], item["version"], item["sha256"],
            tuple(item["audience"]), item["mandatory"], item.get("quiz"),
            item["acknowledge_from"], item["url"], item.get("next_review"), item["owner"],
            approved_on, _day(item.get("acknowledge_from_approved_on")) or approved_on,
            item.get("due_days") or organisation.due_days, item.get("renew_months"))
    sources = _frozen_quizzes(root, documents.values())
    quizzes: dict[str, Quiz] = {}
    quiz_documents: dict[str, str | None] = {}
    for item in data["quizzes"]:
        parts = [sources[s] for s in item["sources"] if s in sources]
        if len(parts) != len(item["sources"]):
            continue  # its approved copy cannot be read: it cannot be graded
        quiz = parts[0] if item["sources"] == [item["id"]] else combine(
            item["id"], item["title"], parts, item["pass_mark"])
        if quiz.version != item["version"]:
            continue  # changed since the build: grade only what the page shows
        quizzes[item["id"]] = quiz
        quiz_documents[item["id"]] = item.get("document_id")
    reading_lists = {item["audience"]: item["url"] for item in data.get("reading_lists", [])
                     if isinstance(item, dict) and "audience" in item and "url" in item}
    return Published(documents, quizzes, quiz_documents, data.get("courses", []), organisation,
                     reading_lists, dict(sources))
