"""One catalogue of all content: organisation, documents, approved snapshots and quizzes.

The build, the CLI and the portal all read this. Loading never raises on bad content: it
collects every problem in the repository so that they can be reported at once
(`checks` does the checks across files). `validate` is the one validation pass of a build:
it yields the catalogue and what it publishes, or raises `ValidationFailed`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .problems import ValidationFailed
from . import checks
from .bodies import unsafe_content
from .quizlint import lint
from .readiness import readiness
from .documents import Status, WorkingCopy, find_working_copies, read_working_copy
from .organisation import Course, Organisation, load_courses, load_organisation
from .problems import Problem
from .publications import Publication, publications
from .quizzes import Quiz, load_quizzes
from .snapshots import Snapshot, load_snapshots

QUIZ_DIR = "quizzes"


@dataclass
class Catalogue:
    root: Path
    organisation: Organisation
    courses: list[Course]
    documents: dict[str, WorkingCopy]
    snapshots: dict[str, list[Snapshot]]
    quizzes: dict[str, Quiz]
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @classmethod
    def load(cls, root: Path) -> Catalogue:
        root = Path(root)
        organisation, problems = load_organisation(root)
        courses, course_problems = load_courses(root)
        snapshots, snapshot_problems = load_snapshots(root)
        quizzes, quiz_problems = load_quizzes(root / QUIZ_DIR, root)
        catalogue = cls(root, organisation, courses, {}, snapshots, quizzes,
                        problems + course_problems + snapshot_problems + quiz_problems)
        for path, kind in find_working_copies(root):
            doc = read_working_copy(path, root, kind)
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
        for doc in catalogue.documents.values():
            if doc.source is not None:
                catalogue.problems += unsafe_content(doc.body, doc.shown, doc.source.body_line)
        for versions in snapshots.values():
            for snapshot in versions:
                catalogue.problems += unsafe_content(snapshot.body, snapshot.shown,
                                                     snapshot.body_line)
        catalogue.problems += checks.references(root, catalogue.documents, quizzes,
                                                organisation, courses, catalogue.problems)
        for doc in catalogue.documents.values():
            if doc.status is Status.SUBMITTED:
                catalogue.problems += readiness(doc, quizzes)
            elif doc.status is Status.DRAFT:
                catalogue.warnings += readiness(doc, quizzes)
        for quiz_id, quiz in quizzes.items():
            catalogue.warnings += lint(quiz, catalogue.quiz_texts.get(quiz_id, ""))
        problems, warnings = checks.approvals(catalogue.documents, snapshots,
                                              catalogue.problems, quizzes,
                                              catalogue.quiz_texts)
        catalogue.problems += problems
        catalogue.warnings += warnings
        return catalogue

    @cached_property
    def quiz_texts(self) -> dict[str, str]:
        """The text of each valid quiz in `quizzes/`, by id (what approval freezes)."""
        return {quiz_id: (self.root / quiz.path).read_text(encoding="utf-8")
                for quiz_id, quiz in self.quizzes.items() if quiz.path}

    def own_problems(self, doc: WorkingCopy) -> list[Problem]:
        return [p for p in self.problems if p.path == doc.shown]

    def publications(self, preview: bool = False) -> list[Publication]:
        """What the site shows: latest approved snapshots; in preview also working copies."""
        return publications(self.documents, self.snapshots, preview, self.quizzes,
                             self.quiz_texts)


@dataclass(frozen=True)
class Validated:
    """A catalogue without problems and what it publishes, for one kind of build."""

    catalogue: Catalogue
    publications: list[Publication]
    preview: bool

    @property
    def root(self) -> Path:
        return self.catalogue.root


def validate(root: Path, preview: bool = False) -> Validated:
    """Load the catalogue and raise `ValidationFailed` listing every problem."""
    catalogue = Catalogue.load(root)
    published = catalogue.publications(preview)
    link_problems, link_warnings = checks.links(catalogue.root, catalogue.documents, published)
    problems = catalogue.problems + link_problems
    catalogue.warnings += link_warnings
    if problems:
        raise ValidationFailed(problems)
    return Validated(catalogue, published, preview)
