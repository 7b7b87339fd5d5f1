"""Controlled documents: kinds, statuses, the front-matter schema and typed records.

Every Markdown file in `routines/`, `docs/utbildning/` and `docs/lardomar/` is a controlled
document. Its kind follows from its folder and fixes its id prefix. The schema classes are the
only place that reads front-matter by key; everything else uses the typed records
(`Content`, `Approval`, `WorkingCopy`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from .problems import Problem, display_path
from .returns import ReturnRecord, Returns
from .schema import Boolean, Choice, Date, Integer, Pattern, Schema, Text, TextList
from .yamlsource import (FrontMatterSource, YamlSyntaxError, read_front_matter, salvage,
                         split_front_matter)

DOC_ID = r"(RUT|UTB|LRD)-\d{3,}"
QUIZ_ID = r"[a-z0-9][a-z0-9-]*"


class Status(StrEnum):
    """The status of a working copy."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETIRED = "retired"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {Status.DRAFT: "Utkast", Status.SUBMITTED: "Väntar på beslut",
                  Status.APPROVED: "Godkänd", Status.RETIRED: "Upphävd"}


class Kind(StrEnum):
    """A kind of controlled document: where it lives and how its id starts."""

    ROUTINE = "routine"
    TRAINING = "training"
    LESSON = "lesson"

    @property
    def label(self) -> str:
        """Swedish, singular."""
        return _KIND_INFO[self][0]

    @property
    def prefix(self) -> str:
        return _KIND_INFO[self][1]

    @property
    def folder(self) -> str:
        """The folder of its working copies, relative to the repository root."""
        return _KIND_INFO[self][2]

    @property
    def site_folder(self) -> str:
        """The folder of its pages in the site."""
        return _KIND_INFO[self][3]


_KIND_INFO = {
    Kind.ROUTINE: ("rutin", "RUT", "routines", "rutiner"),
    Kind.TRAINING: ("utbildningsmodul", "UTB", "docs/utbildning", "utbildning"),
    Kind.LESSON: ("lärdom", "LRD", "docs/lardomar", "lardomar"),
}
KIND_BY_PREFIX = {k.prefix: k for k in Kind}


# -- the schema --------------------------------------------------------------------------------

class ContentFields(Schema):
    """The keys that describe a document's content; frozen into each approved snapshot."""

    id = Pattern("Stabilt unikt id som aldrig återanvänds: RUT-### rutin, UTB-### "
                 "utbildningsmodul, LRD-### lärdom.", DOC_ID,
                 "ett id som RUT-001, UTB-001 eller LRD-001", required=True)
    title = Text("Titeln på svenska.", required=True)
    owner = Text("Informationsägaren som roll, t.ex. \"Verksamhetschef hemtjänst\".",
                 required=True)
    audience = TextList("Målgrupper: id för enheter eller roller ur organisation.yml.",
                        required=True, allow_empty=False, item="målgrupps-id")
    version = Integer("Versionen som arbetskopian är eller kommer att bli.", minimum=1,
                      required=True)
    mandatory = Boolean("Rutin: ska kvitteras av målgruppen. Utbildning: ska genomföras.",
                        default=False)
    review_months = Integer("Intervall för översyn i månader (standard 12).", minimum=1,
                            default=12)
    quiz = Pattern("Id för ett kunskapstest i quizzes/.", QUIZ_ID,
                   "ett quiz-id med små bokstäver, siffror och bindestreck")
    related = TextList("Id för relaterade dokument (lärdom, rutin, utbildning).",
                       pattern=DOC_ID, item="dokument-id som RUT-001", default=list)
    tags = TextList("Ämnesord (taggar).", item="ämnesord", default=list)
    material_change = Boolean("Nästa version måste kvitteras på nytt (standard true).",
                              default=True)
    order = Integer("Utbildningsmodul: plats i kursen.", minimum=1)
    minutes = Integer("Utbildningsmodul: beräknad lästid i minuter.", minimum=1)
    change_note = Text("Från version 2: en eller två meningar om vad som har ändrats och "
                       "varför (visas för beslutsfattare och medarbetare).")
    decided_by = Pattern("Id för det organ som beslutar om dokumentet (decision_bodies i "
                         "organisation.yml; standard där).", r"[a-z][a-z0-9-]*",
                         "ett id med små bokstäver a–z, siffror och bindestreck")
    due_days = Integer("Dagar efter beslutet inom vilka målgruppen ska ha kvitterat eller "
                       "genomfört (standard i organisation.yml).", minimum=1)
    renew_months = Integer("En kvittens eller ett godkänt test gäller så många månader och "
                           "ska sedan göras om.", minimum=1)


class ApprovalFields(Schema):
    """The approval record; written by the CLI, never by hand."""

    submitted_on = Date("Skrivs av CLI: dag då dokumentet skickades för beslut.")
    approved_by = Text("Skrivs av CLI: vem som beslutade.")
    approved_on = Date("Skrivs av CLI: beslutsdatum.")
    decision = Text("Skrivs av CLI: beslutsreferens, t.ex. \"LG U&S 2026-03-02 § 4\".")


class RetirementFields(Schema):
    """The retirement decision and the returns for changes; written by the CLI, kept in the
    working copy only (they are not part of what an approval binds)."""

    retired_on = Date("Skrivs av CLI: beslutsdatum för upphävandet.")
    retired_by = Text("Skrivs av CLI: organet som upphävde dokumentet.")
    retired_decision = Text("Skrivs av CLI: beslutsreferens för upphävandet.")
    returns = Returns("Skrivs av CLI: återremisser (date, by, version, comment, decision).",
                      default=tuple)


class WorkingCopyFields(ContentFields, ApprovalFields, RetirementFields):
    """The front-matter of a working copy."""

    status = Choice("Arbetskopians status.", [s.value for s in Status], required=True)
    approved_sha256 = Pattern("Skrivs av CLI: kontrollsumma för senast godkända version.",
                              r"[0-9a-f]{64}", "64 hexadecimala tecken")


# -- the typed records ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Content:
    """What a document says about itself (the keys of `ContentFields`)."""

    id: str
    title: str
    owner: str
    audience: tuple[str, ...]
    version: int
    mandatory: bool = False
    review_months: int = 12
    quiz: str | None = None
    related: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    material_change: bool = True
    order: int | None = None
    minutes: int | None = None
    change_note: str | None = None
    decided_by: str | None = None
    due_days: int | None = None
    renew_months: int | None = None

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> Content:
        """From `ContentFields.validate`'s values; a key that failed gets an empty value
        (the problem is reported, and a document with problems is never published)."""
        return cls(
            id=values.get("id") or "", title=values.get("title") or "",
            owner=values.get("owner") or "", audience=tuple(values.get("audience") or ()),
            version=values.get("version") or 0, mandatory=bool(values.get("mandatory")),
            review_months=values.get("review_months") or 12, quiz=values.get("quiz"),
            related=tuple(values.get("related") or ()), tags=tuple(values.get("tags") or ()),
            material_change=values.get("material_change") is not False,
            order=values.get("order"), minutes=values.get("minutes"),
            change_note=values.get("change_note"), decided_by=values.get("decided_by"),
            due_days=values.get("due_days"), renew_months=values.get("renew_months"))


@dataclass(frozen=True)
class Approval:
    """The approval record (the keys of `ApprovalFields`)."""

    submitted_on: dt.date | None = None
    approved_by: str | None = None
    approved_on: dt.date | None = None
    decision: str | None = None

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> Approval:
        return cls(values.get("submitted_on"), values.get("approved_by"),
                   values.get("approved_on"), values.get("decision"))


@dataclass
class WorkingCopy:
    """A working copy of a controlled document, as read from its file."""

    path: Path
    shown: str                 # path as shown to the user
    kind: Kind
    content: Content
    approval: Approval
    status: Status | None      # None when the file's status is missing or wrong
    approved_sha256: str | None
    body: str
    source: FrontMatterSource | None = None
    problems: list[Problem] = field(default_factory=list)
    returns: tuple[ReturnRecord, ...] = ()
    broken: bool = False   # its front-matter is not YAML: only id, quiz, related were salvaged
    retirement: dict[str, Any] = field(default_factory=dict)  # retired_on, _by, _decision

    @property
    def id(self) -> str:
        return self.content.id

    @property
    def slug(self) -> str:
        return self.path.stem

    def line(self, key: str) -> int | None:
        return self.source.meta.line(key) if self.source else None


def kind_for(path: Path, root: Path) -> Kind | None:
    rel = path.resolve().relative_to(root.resolve()).as_posix()
    return next((kind for kind in Kind if rel.startswith(kind.folder + "/")), None)


def read_working_copy(path: Path, root: Path, kind: Kind) -> WorkingCopy:
    """Read and validate one working copy; problems are collected on the record."""
    shown = display_path(path, root)
    doc = WorkingCopy(path, shown, kind, Content.from_values({}), Approval(), None, None, "")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        doc.problems.append(Problem(shown, None, None, "filen är inte UTF-8-kodad"))
        return doc
    try:
        source = read_front_matter(text)
    except YamlSyntaxError as exc:
        doc.problems.append(Problem(shown, exc.line, None, exc.detail))
        _salvage(doc, text)
        return doc
    values, problems = WorkingCopyFields.validate(source.meta, shown)
    doc.source, doc.body, doc.problems = source, source.body, problems
    doc.content, doc.approval = Content.from_values(values), Approval.from_values(values)
    doc.status = Status(values["status"]) if values.get("status") else None
    doc.approved_sha256 = values.get("approved_sha256")
    doc.returns = tuple(values.get("returns") or ())
    doc.retirement = {k: values.get(k) for k in RetirementFields.fields if k != "returns"}
    if doc.id and not doc.id.startswith(kind.prefix + "-"):
        doc.problems.append(Problem(
            shown, source.meta.line("id"), "id",
            f"förväntade ett id som börjar med {kind.prefix}- för en {kind.label} "
            f"i {kind.folder}/, fick '{doc.id}'"))
    return doc


def _salvage(doc: WorkingCopy, text: str) -> None:
    """Name a file whose YAML is broken by its id, quiz and related documents (read line by
    line), so that other files that refer to it are not reported too: one mistake, one
    message."""
    parts = split_front_matter(text)
    found = salvage(parts[0]) if parts else {}
    doc_id = found.get("id")
    if not isinstance(doc_id, str) or not re.fullmatch(DOC_ID, doc_id):
        return
    quiz = found.get("quiz") if isinstance(found.get("quiz"), str) else None
    related = found.get("related")
    related = tuple(r for r in related if isinstance(r, str)) if isinstance(related, list) else ()
    doc.content = Content.from_values({"id": doc_id, "quiz": quiz, "related": related})
    doc.broken = True


def find_working_copies(root: Path) -> list[tuple[Path, Kind]]:
    found = []
    for kind in Kind:
        folder = root / kind.folder
        if folder.is_dir():
            found += [(p, kind) for p in sorted(folder.rglob("*.md"))]
    return found
