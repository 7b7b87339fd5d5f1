"""The document lifecycle: draft → submitted → approved → (draft of next version | retired).

Each command checks every document it is given before it writes anything, so a refused
command changes nothing. Approval freezes the exact text in a snapshot with its SHA-256.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .catalogue import Catalogue
from .documents import KIND_BY_NAME, STATUS_NAMES, Document
from .errors import LifecycleError, UserError
from .frontmatter_edit import format_value, update_front_matter
from .hashing import content_sha256
from .snapshots import atomic_write, render_snapshot, snapshot_path

ALLOWED = {
    "submit": {"draft"},
    "approve": {"submitted"},
    "revise": {"approved"},
    "retire": {"draft", "submitted", "approved"},
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
    doc: Document
    updates: dict
    snapshot: tuple[Path, str] | None = None


def _documents(catalogue: Catalogue, ids: list[str], action: str) -> list[Document]:
    errors, docs = [], []
    for doc_id in ids:
        doc = catalogue.documents.get(doc_id)
        if doc is None:
            errors.append(f"{doc_id}: dokumentet finns inte; förväntade ett id som "
                          "rutinportal status visar")
            continue
        own = [p for p in catalogue.problems if p.path == doc.shown]
        if own:
            errors.append(f"{doc.shown}: rätta först felen i filen (kör rutinportal check)")
            continue
        status = doc.meta["status"]
        if status not in ALLOWED[action]:
            errors.append(f"{doc.shown}: status är {status} ({STATUS_NAMES[status].lower()}); "
                          f"{HINTS[action]}")
            continue
        docs.append(doc)
    if errors:
        raise LifecycleError("\n".join(errors) + "\nIngenting har ändrats.")
    return docs


def _apply(changes: list[Change]) -> None:
    # Snapshots first: a working copy never records an approval whose snapshot is missing.
    for change in changes:
        if change.snapshot:
            atomic_write(*change.snapshot)
    for change in changes:
        text = change.doc.path.read_bytes().decode("utf-8")  # keep CRLF as written
        atomic_write(change.doc.path, update_front_matter(text, change.updates))


def submit(catalogue: Catalogue, ids: list[str], today: dt.date) -> list[Document]:
    docs = _documents(catalogue, ids, "submit")
    _apply([Change(d, {"status": "submitted", "submitted_on": today}) for d in docs])
    return docs


def approve(catalogue: Catalogue, ids: list[str], by: str, decision: str,
            today: dt.date) -> list[Document]:
    if not by.strip() or not decision.strip():
        raise UserError("--by och --decision måste anges: vem som beslutade och "
                        "beslutsreferensen (t.ex. \"LG U&S 2026-03-02 § 4\")")
    docs = _documents(catalogue, ids, "approve")
    changes = []
    for doc in docs:
        meta = doc.meta
        sha = content_sha256(meta["title"], meta["audience"], doc.body)
        record = {"approved_by": by.strip(), "approved_on": today, "decision": decision.strip()}
        path = snapshot_path(catalogue.root, doc.id, meta["version"])
        if path.exists():
            raise LifecycleError(f"{doc.shown}: version {meta['version']} är redan godkänd "
                                 f"({path.relative_to(catalogue.root)}); ingenting har ändrats")
        snapshot_meta = {**meta, **record, "source": doc.shown, "sha256": sha}
        changes.append(Change(doc, {"status": "approved", **record, "approved_sha256": sha},
                              (path, render_snapshot(snapshot_meta, doc.body))))
    _apply(changes)
    return docs


def revise(catalogue: Catalogue, ids: list[str]) -> list[Document]:
    docs = _documents(catalogue, ids, "revise")
    _apply([Change(d, {"status": "draft", "version": d.meta["version"] + 1,
                       "submitted_on": None}) for d in docs])
    return docs


def retire(catalogue: Catalogue, ids: list[str]) -> list[Document]:
    docs = _documents(catalogue, ids, "retire")
    _apply([Change(d, {"status": "retired"}) for d in docs])
    return docs


def slugify(title: str) -> str:
    text = unicodedata.normalize("NFKD", title.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "dokument"


NEW_BODY = {
    "routine": "## Syfte\n\n## Gäller för\n\n## Så här gör du\n\n1. \n\n"
               "## Om något går fel\n\n## Bakgrund\n",
    "training": "## Det här lär du dig\n\n## Innehåll\n\n## Sammanfattning\n",
    "lesson": "## Vad hände\n\n## Varför det spelar roll\n\n## Vad vi har ändrat\n\n"
              "## Vad du kan göra\n",
}


def new(catalogue: Catalogue, kind_name: str, title: str, course: str | None = None) -> Path:
    """Create a draft with the next free id; refuse to overwrite anything."""
    kind = KIND_BY_NAME[kind_name]
    if not title.strip():
        raise UserError("Titeln får inte vara tom.")
    used = [int(i.split("-")[1]) for i in [*catalogue.documents, *catalogue.snapshots]
            if i.startswith(kind.prefix + "-")]
    next_id = f"{kind.prefix}-{max(used, default=0) + 1:03d}"
    folder = catalogue.root / kind.folder
    extra = ""
    if kind.name == "training":
        course_ids = [c.id for c in catalogue.courses]
        if course not in course_ids:
            raise UserError("Ange kursen med --course, en av: " + ", ".join(course_ids))
        folder = folder / course
        order = 1 + sum(1 for d in catalogue.documents.values()
                        if d.kind.name == "training" and d.path.parent == folder)
        extra = f"order: {order}\nminutes: 5\n"
    path = folder / f"{slugify(title)}.md"
    if path.exists():
        raise UserError(f"{path.relative_to(catalogue.root)} finns redan; välj en annan titel")
    text = (f"---\nid: {next_id}\ntitle: {format_value(title)}\n"
            f"owner: \"Ange informationsägaren som roll\"\nstatus: draft\naudience: [alla]\n"
            f"version: 1\nmandatory: false\n{extra}---\n\n{NEW_BODY[kind.name]}")
    atomic_write(path, text)
    return path

