"""The document lifecycle: draft → submitted → approved → (draft of next version | retired).

Each command checks every document it is given before it writes anything, so a refused
command changes nothing. Approval freezes the exact text in a snapshot with its SHA-256.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..content.catalogue import Catalogue
from ..content.documents import Approval, Kind, Status, WorkingCopy
from ..content.snapshots import frozen_quiz_path, snapshot_path
from ..errors import LifecycleError, UserError
from .frontmatter_edit import format_value, update_front_matter
from .writing import atomic_write, render_snapshot

ALLOWED = {
    "submit": {Status.DRAFT},
    "approve": {Status.SUBMITTED},
    "revise": {Status.APPROVED},
    "retire": {Status.DRAFT, Status.SUBMITTED, Status.APPROVED},
}
HINTS = {
    "submit": "bara ett utkast (draft) kan skickas för beslut",
    "approve": "bara ett dokument som skickats för beslut (submitted) kan godkännas; "
               "kör först rutinportal submit",
    "revise": "bara ett godkänt dokument (approved) kan revideras",
    "retire": "dokumentet är redan upphävt",
}


@dataclass
class Change:
    doc: WorkingCopy
    updates: dict
    files: list[tuple[Path, str]] = field(default_factory=list)  # written before the doc


def _documents(catalogue: Catalogue, ids: list[str], action: str) -> list[WorkingCopy]:
    errors, docs = [], []
    for doc_id in ids:
        doc = catalogue.documents.get(doc_id)
        if doc is None:
            errors.append(f"{doc_id}: dokumentet finns inte; förväntade ett id som "
                          "rutinportal status visar")
            continue
        if catalogue.own_problems(doc) or doc.status is None:
            errors.append(f"{doc.shown}: rätta först felen i filen (kör rutinportal check)")
            continue
        status = doc.status
        if status not in ALLOWED[action]:
            errors.append(f"{doc.shown}: status är {status.value} ({status.label.lower()}); "
                          f"{HINTS[action]}")
            continue
        docs.append(doc)
    if errors:
        raise LifecycleError("\n".join(errors) + "\nIngenting har ändrats.")
    return docs


def _apply(changes: list[Change]) -> None:
    # Snapshots first: a working copy never records an approval whose snapshot is missing.
    for change in changes:
        for path, text in change.files:
            atomic_write(path, text)
    for change in changes:
        text = change.doc.path.read_bytes().decode("utf-8")  # keep CRLF as written
        atomic_write(change.doc.path, update_front_matter(text, change.updates))


def submit(catalogue: Catalogue, ids: list[str], today: dt.date) -> list[WorkingCopy]:
    docs = _documents(catalogue, ids, "submit")
    _apply([Change(d, {"status": "submitted", "submitted_on": today}) for d in docs])
    return docs


def approve(catalogue: Catalogue, ids: list[str], by: str, decision: str,
            today: dt.date) -> list[WorkingCopy]:
    if not by.strip() or not decision.strip():
        raise UserError("--by och --decision måste anges: vem som beslutade och "
                        "beslutsreferensen (t.ex. \"LG U&S 2026-03-02 § 4\")")
    docs = _documents(catalogue, ids, "approve")
    changes = []
    for doc in docs:
        content = doc.content
        approval = Approval(doc.approval.submitted_on, by.strip(), today, decision.strip())
        path = snapshot_path(catalogue.root, doc.id, content.version)
        if path.exists():
            raise LifecycleError(f"{doc.shown}: version {content.version} är redan godkänd "
                                 f"({path.relative_to(catalogue.root)}); ingenting har ändrats")
        quiz_text = catalogue.quiz_texts.get(content.quiz) if content.quiz else None
        text, sha = render_snapshot(content, approval, doc.shown, doc.body, quiz_text)
        record = {"approved_by": approval.approved_by, "approved_on": approval.approved_on,
                  "decision": approval.decision}
        files = [(path, text)]
        if quiz_text is not None:
            files.insert(0, (frozen_quiz_path(catalogue.root, doc.id, content.version),
                             quiz_text))
        changes.append(Change(doc, {"status": Status.APPROVED.value, **record,
                                    "approved_sha256": sha}, files))
    _apply(changes)
    return docs


def revise(catalogue: Catalogue, ids: list[str]) -> list[WorkingCopy]:
    docs = _documents(catalogue, ids, "revise")
    _apply([Change(d, {"status": Status.DRAFT.value, "version": d.content.version + 1,
                       "submitted_on": None}) for d in docs])
    return docs


def retire(catalogue: Catalogue, ids: list[str]) -> list[WorkingCopy]:
    docs = _documents(catalogue, ids, "retire")
    _apply([Change(d, {"status": Status.RETIRED.value}) for d in docs])
    return docs


def slugify(title: str) -> str:
    text = unicodedata.normalize("NFKD", title.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "dokument"


NEW_BODY = {
    Kind.ROUTINE: "## Syfte\n\n## Gäller för\n\n## Så här gör du\n\n1. \n\n"
               "## Om något går fel\n\n## Bakgrund\n",
    Kind.TRAINING: "## Det här lär du dig\n\n## Innehåll\n\n## Sammanfattning\n",
    Kind.LESSON: "## Vad hände\n\n## Varför det spelar roll\n\n## Vad vi har ändrat\n\n"
              "## Vad du kan göra\n",
}


def new(catalogue: Catalogue, kind_name: str, title: str, course: str | None = None) -> Path:
    """Create a draft with the next free id; refuse to overwrite anything."""
    kind = Kind(kind_name)
    if not title.strip():
        raise UserError("Titeln får inte vara tom.")
    used = [int(i.split("-")[1]) for i in [*catalogue.documents, *catalogue.snapshots]
            if i.startswith(kind.prefix + "-")]
    next_id = f"{kind.prefix}-{max(used, default=0) + 1:03d}"
    folder = catalogue.root / kind.folder
    extra = ""
    if kind is Kind.TRAINING:
        course_ids = [c.id for c in catalogue.courses]
        if course not in course_ids:
            raise UserError("Ange kursen med --course, en av: " + ", ".join(course_ids))
        folder = folder / course
        order = 1 + sum(1 for d in catalogue.documents.values()
                        if d.kind is Kind.TRAINING and d.path.parent == folder)
        extra = f"order: {order}\nminutes: 5\n"
    path = folder / f"{slugify(title)}.md"
    if path.exists():
        raise UserError(f"{path.relative_to(catalogue.root)} finns redan; välj en annan titel")
    text = (f"---\nid: {next_id}\ntitle: {format_value(title)}\n"
            f"owner: \"Ange informationsägaren som roll\"\nstatus: draft\naudience: [alla]\n"
            f"version: 1\nmandatory: false\n{extra}---\n\n{NEW_BODY[kind]}")
    atomic_write(path, text)
    return path

