"""Controlled documents: the front-matter schema and reading a working copy.

Every Markdown file in `routines/`, `docs/utbildning/` and `docs/lardomar/` is a controlled
document. Its kind follows from its folder and fixes its id prefix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem, display_path
from .schema import Boolean, Choice, Date, Integer, Pattern, Schema, Text, TextList
from .yamlsource import FrontMatterSource, YamlSyntaxError, read_front_matter

STATUSES = ("draft", "submitted", "approved", "retired")
STATUS_NAMES = {
    "draft": "Utkast",
    "submitted": "Väntar på beslut",
    "approved": "Godkänd",
    "retired": "Upphävd",
}
DOC_ID = r"(RUT|UTB|LRD)-\d{3,}"
QUIZ_ID = r"[a-z0-9][a-z0-9-]*"


@dataclass(frozen=True)
class Kind:
    """A kind of controlled document: where it lives and how its id starts."""

    name: str          # English identifier
    label: str         # Swedish, singular
    prefix: str        # id prefix
    folder: str        # folder relative to the repository root
    site_folder: str   # folder of its pages in the site


KINDS = (
    Kind("routine", "rutin", "RUT", "routines", "rutiner"),
    Kind("training", "utbildningsmodul", "UTB", "docs/utbildning", "utbildning"),
    Kind("lesson", "lärdom", "LRD", "docs/lardomar", "lardomar"),
)
KIND_BY_NAME = {k.name: k for k in KINDS}
KIND_BY_PREFIX = {k.prefix: k for k in KINDS}


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


class ApprovalRecord(Schema):
    """The approval record; written by the CLI, never by hand."""

    submitted_on = Date("Skrivs av CLI: dag då dokumentet skickades för beslut.")
    approved_by = Text("Skrivs av CLI: vem som beslutade.")
    approved_on = Date("Skrivs av CLI: beslutsdatum.")
    decision = Text("Skrivs av CLI: beslutsreferens, t.ex. \"LG U&S 2026-03-02 § 4\".")


class DocumentSchema(ContentFields, ApprovalRecord):
    """The front-matter of a working copy."""

    status = Choice("Arbetskopians status.", STATUSES, required=True)
    approved_sha256 = Pattern("Skrivs av CLI: kontrollsumma för senast godkända version.",
                              r"[0-9a-f]{64}", "64 hexadecimala tecken")


@dataclass
class Document:
    """A working copy of a controlled document."""

    path: Path
    shown: str                 # path as shown to the user
    kind: Kind
    meta: dict[str, Any]
    body: str
    source: FrontMatterSource | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.meta.get("id") or ""

    @property
    def slug(self) -> str:
        return self.path.stem

    def line(self, key: str) -> int | None:
        return self.source.meta.line(key) if self.source else None

    @property
    def submitted_on(self) -> dt.date | None:
        return self.meta.get("submitted_on")


def kind_for(path: Path, root: Path) -> Kind | None:
    rel = path.resolve().relative_to(root.resolve()).as_posix()
    for kind in KINDS:
        if rel.startswith(kind.folder + "/"):
            return kind
    return None


def read_document(path: Path, root: Path, kind: Kind) -> Document:
    """Read and validate one working copy; problems are collected on the document."""
    shown = display_path(path, root)
    doc = Document(path, shown, kind, {}, "")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        doc.problems.append(Problem(shown, None, None, "filen är inte UTF-8-kodad"))
        return doc
    try:
        source = read_front_matter(text)
    except YamlSyntaxError as exc:
        doc.problems.append(Problem(shown, exc.line, None, exc.detail))
        return doc
    doc.source, doc.body = source, source.body
    meta, problems = DocumentSchema.validate(source.meta, shown)
    doc.meta = meta
    doc.problems += problems
    doc_id = meta.get("id")
    if doc_id and not doc_id.startswith(kind.prefix + "-"):
        doc.problems.append(Problem(
            shown, source.meta.line("id"), "id",
            f"förväntade ett id som börjar med {kind.prefix}- för en {kind.label} "
            f"i {kind.folder}/, fick '{doc_id}'"))
    return doc


def find_documents(root: Path) -> list[tuple[Path, Kind]]:
    found = []
    for kind in KINDS:
        folder = root / kind.folder
        if folder.is_dir():
            found += [(p, kind) for p in sorted(folder.rglob("*.md"))]
    return found

