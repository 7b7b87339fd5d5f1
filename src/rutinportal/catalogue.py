"""One catalogue of all content: organisation, documents, approved snapshots and quizzes.

The build, the CLI and the portal all read this. Loading never raises on bad content: it
collects every problem in the repository so that they can be reported at once.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .documents import KINDS, Document, Kind, find_documents, read_document
from .errors import Problem
from .hashing import content_sha256
from .organisation import Course, Organisation, load_courses, load_organisation
from .snapshots import SNAPSHOT_DIR, Snapshot, load_snapshots

QUIZ_DIR = "quizzes"


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass
class Publication:
    """A document as the site shows it: the latest approved snapshot, or (preview) a draft."""

    id: str
    kind: Kind
    meta: dict[str, Any]
    body: str
    sha256: str
    site_path: str                 # e.g. "rutiner/siths-kort.md"
    history: list[Snapshot]        # approved versions, oldest first
    draft: bool = False            # preview only: text not (yet) approved
    status: str = "approved"

    @property
    def title(self) -> str:
        return self.meta["title"]

    @property
    def version(self) -> int:
        return self.meta["version"]

    @property
    def url(self) -> str:
        return self.site_path[: -len(".md")] + "/"

    @property
    def approved_on(self) -> dt.date | None:
        return None if self.draft else self.meta.get("approved_on")

    @property
    def next_review(self) -> dt.date | None:
        approved = self.approved_on
        return add_months(approved, self.meta.get("review_months") or 12) if approved else None

    @property
    def acknowledge_from(self) -> int:
        """The oldest version whose acknowledgement still counts (material changes reset)."""
        versions = [s for s in self.history if s.version <= self.version]
        oldest = self.version
        for snapshot in reversed(versions):
            oldest = snapshot.version
            if snapshot.meta.get("material_change", True):
                break
        return oldest


def site_path(kind: Kind, source: str) -> str:
    """Where a document's page lives in the site, from its working copy's path."""
    if kind.name == "routine":
        return f"{kind.site_folder}/{PurePosixPath(source).name}"
    return source[len("docs/"):] if source.startswith("docs/") else source


@dataclass
class Catalogue:
    root: Path
    organisation: Organisation
    courses: list[Course]
    documents: dict[str, Document]
    snapshots: dict[str, list[Snapshot]]
    quizzes: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @classmethod
    def load(cls, root: Path) -> Catalogue:
        from . import quiz as quiz_module  # local: the quiz module imports schema helpers

        root = Path(root)
        organisation, problems = load_organisation(root)
        courses, course_problems = load_courses(root)
        snapshots, snapshot_problems = load_snapshots(root)
        quizzes, quiz_problems = quiz_module.load_quizzes(root / QUIZ_DIR, root)
        catalogue = cls(root, organisation, courses, {}, snapshots, quizzes,
                        problems + course_problems + snapshot_problems + quiz_problems)
        for path, kind in find_documents(root):
            doc = read_document(path, root, kind)
            catalogue.problems += doc.problems
            if not doc.id:
                continue
            if doc.id in catalogue.documents:
                first = catalogue.documents[doc.id]
                catalogue.problems.append(Problem(
                    doc.shown, doc.line("id"), "id",
                    f"id '{doc.id}' används redan av {first.shown}; förväntade ett unikt id"))
                continue
            catalogue.documents[doc.id] = doc
        catalogue._check_references(quiz_module)
        catalogue._check_approvals()
        return catalogue

    # -- validation across files -------------------------------------------------------

    def _check_references(self, quiz_module: Any) -> None:
        audiences = self.organisation.audiences
        course_ids = {c.id for c in self.courses}
        referenced: dict[str, list[str]] = {}
        for doc in self.documents.values():
            for audience in doc.meta.get("audience") or []:
                if audience not in audiences:
                    self.problems.append(Problem(
                        doc.shown, doc.line("audience"), "audience",
                        f"förväntade ett målgrupps-id ur organisation.yml, fick '{audience}'"))
            for other in doc.meta.get("related") or []:
                if other not in self.documents:
                    self.problems.append(Problem(
                        doc.shown, doc.line("related"), "related",
                        f"förväntade id för ett befintligt dokument, fick '{other}'"))
                elif other == doc.id:
                    self.problems.append(Problem(
                        doc.shown, doc.line("related"), "related",
                        "förväntade id för ett annat dokument, fick dokumentets eget id"))
            quiz_id = doc.meta.get("quiz")
            if quiz_id:
                referenced.setdefault(quiz_id, []).append(doc.id)
                if quiz_id not in self.quizzes and not (self.root / QUIZ_DIR /
                                                        f"{quiz_id}.yml").exists():
                    self.problems.append(Problem(
                        doc.shown, doc.line("quiz"), "quiz",
                        f"förväntade id för ett kunskapstest i {QUIZ_DIR}/, fick '{quiz_id}'"))
            if doc.kind.name == "training":
                parts = PurePosixPath(doc.shown).parts
                course = parts[2] if len(parts) > 3 else None
                if course not in course_ids:
                    self.problems.append(Problem(
                        doc.shown, None, None,
                        "förväntade att modulen ligger i en kursmapp som finns i courses.yml "
                        f"({', '.join(sorted(course_ids)) or 'inga kurser'}), fick "
                        f"'{course or 'docs/utbildning/'}'"))
                for key in ("order", "minutes"):
                    if doc.meta.get(key) is None and not any(
                            p.path == doc.shown and p.key == key for p in self.problems):
                        self.problems.append(Problem(
                            doc.shown, doc.line("id"), key,
                            "saknas, förväntade ett heltal för en utbildningsmodul"))
            else:
                for key in ("order", "minutes"):
                    if doc.meta.get(key) is not None:
                        self.problems.append(Problem(
                            doc.shown, doc.line(key), key,
                            f"används bara för utbildningsmoduler, inte för en {doc.kind.label}"))
        self.problems += quiz_module.check_references(self.quizzes, referenced)

    def _check_approvals(self) -> None:
        for doc_id, versions in self.snapshots.items():
            if doc_id not in self.documents:
                latest = versions[-1]
                self.problems.append(Problem(
                    latest.shown, None, None,
                    f"godkänd version av {doc_id} finns men arbetskopian {latest.source} saknas; "
                    "förväntade arbetskopian (upphäv dokumentet med rutinportal retire i stället "
                    "för att ta bort filen)"))
        for doc in self.documents.values():
            meta = doc.meta
            versions = self.snapshots.get(doc.id, [])
            latest = versions[-1] if versions else None
            recorded = meta.get("approved_sha256")
            if latest is None:
                if any(p.path.startswith(f"{SNAPSHOT_DIR}/{doc.id}/") for p in self.problems):
                    continue  # its snapshot is broken: that problem is already reported
                if recorded or meta.get("approved_on"):
                    key = "approved_sha256" if recorded else "approved_on"
                    self.problems.append(Problem(
                        doc.shown, doc.line(key), key,
                        f"godkännande finns men ingen godkänd version; förväntade filen "
                        f"{SNAPSHOT_DIR}/{doc.id}/v{meta.get('version')}.md"))
                elif meta.get("status") == "approved":
                    self.problems.append(Problem(
                        doc.shown, doc.line("status"), "status",
                        "förväntade draft eller submitted: dokumentet har ingen godkänd version; "
                        "använd rutinportal submit och rutinportal approve"))
                continue
            if recorded and recorded != latest.sha256:
                self.problems.append(Problem(
                    doc.shown, doc.line("approved_sha256"), "approved_sha256",
                    f"förväntade kontrollsumman för {latest.shown}, fick en annan; "
                    "godkännandet får inte ändras för hand"))
            if not recorded:
                self.problems.append(Problem(
                    doc.shown, doc.line("id"), "approved_sha256",
                    f"saknas, förväntade kontrollsumman för {latest.shown}"))
            version, status = meta.get("version"), meta.get("status")
            if isinstance(version, int):
                if status == "approved" and version != latest.version:
                    self.problems.append(Problem(
                        doc.shown, doc.line("version"), "version",
                        f"förväntade {latest.version} (den godkända versionen), fick {version}"))
                elif status in ("draft", "submitted") and version <= latest.version:
                    self.problems.append(Problem(
                        doc.shown, doc.line("version"), "version",
                        f"förväntade minst {latest.version + 1} eftersom version "
                        f"{latest.version} redan är godkänd, fick {version}"))
            if status == "approved" and meta.get("title") and meta.get("audience"):
                if content_sha256(meta["title"], meta["audience"], doc.body) != latest.sha256:
                    self.warnings.append(Problem(
                        doc.shown, doc.line("status"), "status",
                        f"texten har ändrats sedan version {latest.version} godkändes; "
                        "ändringen publiceras inte – kör rutinportal revise "
                        f"{doc.id} och skicka den nya versionen för beslut"))

    # -- publication ---------------------------------------------------------------------

    def publications(self, preview: bool = False) -> list[Publication]:
        """What the site shows: latest approved snapshots; in preview also working copies."""
        result = []
        for doc in sorted(self.documents.values(), key=lambda d: d.id):
            status = doc.meta.get("status")
            if status == "retired":
                continue
            versions = self.snapshots.get(doc.id, [])
            latest = versions[-1] if versions else None
            working_sha = content_sha256(doc.meta["title"], doc.meta["audience"], doc.body) \
                if doc.meta.get("title") and doc.meta.get("audience") else ""
            if preview and (latest is None or working_sha != latest.sha256
                            or status != "approved"):
                meta = dict(doc.meta)
                result.append(Publication(doc.id, doc.kind, meta, doc.body, working_sha,
                                          site_path(doc.kind, doc.shown), versions,
                                          draft=True, status=status))
            elif latest is not None:
                result.append(Publication(doc.id, doc.kind, latest.meta, latest.body,
                                          latest.sha256, site_path(doc.kind, latest.source),
                                          versions, status=status))
        return result

    def publication_problems(self, publications: list[Publication]) -> list[Problem]:
        """Links from published or hand-written pages to documents that are not published.

        MkDocs only logs such links at INFO level, so `--strict` would not catch them.
        """
        published = {p.site_path for p in publications}
        unpublished = {site_path(d.kind, d.shown): d for d in self.documents.values()}
        sources: list[tuple[str, str, str, bool]] = []  # (shown, site path, markdown, whole file)
        for pub in publications:
            shown = (pub.history[-1].shown if pub.history and not pub.draft
                     else self.documents[pub.id].shown)
            sources.append((shown, pub.site_path, pub.body, False))
        docs_dir = self.root / "docs"
        controlled = tuple(k.folder + "/" for k in KINDS)
        for path in sorted(docs_dir.rglob("*.md")) if docs_dir.is_dir() else []:
            rel = path.relative_to(self.root).as_posix()
            if not rel.startswith(controlled):
                sources.append((rel, path.relative_to(docs_dir).as_posix(),
                                path.read_text(encoding="utf-8"), True))
        problems = []
        for shown, page, markdown, whole_file in sources:
            for match in _LINK.finditer(markdown):
                target = match.group(1).split("#")[0]
                if not target.endswith(".md") or "://" in target:
                    continue
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
                if resolved in unpublished and resolved not in published:
                    doc = unpublished[resolved]
                    line = markdown[: match.start()].count("\n") + 1
                    where = "" if whole_file else f" (rad {line} i texten)"
                    problems.append(Problem(
                        shown, line if whole_file else None, None,
                        f"länken till {target}{where} leder till {doc.id} som inte är "
                        "publicerat; förväntade en länk till ett godkänt dokument"))
        return problems

    def quiz_for(self, quiz_id: str) -> Any:
        return self.quizzes.get(quiz_id)


_LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")

