"""What the site publishes: the latest approved snapshot of each document (or, in a preview,
the working copy), as typed `Publication` records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from collections.abc import Mapping
from pathlib import PurePosixPath

from .documents import Approval, Content, Kind, Status, WorkingCopy
from .hashing import record_sha256
from .quizzes import Quiz
from .snapshots import Snapshot, changed_since, content_parts


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def site_path(kind: Kind, source: str) -> str:
    """Where a document's page lives in the site (a source URI), from its working copy's
    path: routines under `rutiner/`, the others where they are under `docs/`."""
    if kind is Kind.ROUTINE:
        return f"{kind.site_folder}/{PurePosixPath(source).name}"
    return source[len("docs/"):] if source.startswith("docs/") else source


@dataclass(frozen=True)
class Publication:
    """A document as the site shows it: the latest approved snapshot, or (preview) a draft."""

    kind: Kind
    content: Content
    approval: Approval | None      # None for a draft in a preview
    body: str
    sha256: str
    site_path: str                 # source URI, e.g. "rutiner/siths-kort.md"
    source: str                    # the file it was read from, as shown to the user
    history: tuple[Snapshot, ...]  # approved versions, oldest first
    status: Status | None = Status.APPROVED
    quiz: Quiz | None = None       # the frozen quiz; in a preview's draft the working one
    body_line: int = 1             # where the body starts in `source`

    @property
    def id(self) -> str:
        return self.content.id

    @property
    def title(self) -> str:
        return self.content.title

    @property
    def version(self) -> int:
        return self.content.version

    @property
    def draft(self) -> bool:
        """Preview only: the text is not (yet) approved."""
        return self.approval is None

    @property
    def approved_on(self) -> dt.date | None:
        return self.approval.approved_on if self.approval else None

    @property
    def next_review(self) -> dt.date | None:
        approved = self.approved_on
        return add_months(approved, self.content.review_months) if approved else None

    @property
    def acknowledge_from(self) -> int:
        """The oldest version whose acknowledgement still counts (material changes reset)."""
        oldest = self.version
        for snapshot in reversed([s for s in self.history if s.version <= self.version]):
            oldest = snapshot.version
            if snapshot.content.material_change:
                break
        return oldest


def publications(documents: Mapping[str, WorkingCopy], snapshots: Mapping[str, list[Snapshot]],
                 preview: bool = False, quizzes: Mapping[str, Quiz] | None = None,
                 quiz_texts: Mapping[str, str] | None = None) -> list[Publication]:
    """What the site shows: latest approved snapshots, each with its frozen quiz; in a
    preview also working copies (with the quiz as it is in `quizzes/`)."""
    quizzes, quiz_texts = quizzes or {}, quiz_texts or {}
    result = []
    for doc in sorted(documents.values(), key=lambda d: d.id):
        if doc.status is Status.RETIRED:
            continue
        versions = tuple(snapshots.get(doc.id, []))
        latest = versions[-1] if versions else None
        content = doc.content
        quiz_text = quiz_texts.get(content.quiz) if content.quiz else None
        if preview and (latest is None or doc.status is not Status.APPROVED
                        or changed_since(latest, content, doc.body, quiz_text)):
            sha = record_sha256(content_parts(content, doc.body, quiz_text))
            result.append(Publication(doc.kind, content, None, doc.body, sha,
                                      site_path(doc.kind, doc.shown), doc.shown, versions,
                                      doc.status, quizzes.get(content.quiz or ""),
                                      doc.source.body_line if doc.source else 1))
        elif latest is not None:
            result.append(Publication(doc.kind, latest.content, latest.approval, latest.body,
                                      latest.sha256, site_path(doc.kind, latest.source),
                                      latest.shown, versions, doc.status, latest.quiz,
                                      latest.body_line))
    return result
