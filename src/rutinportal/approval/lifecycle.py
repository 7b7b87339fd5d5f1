"""The document lifecycle: draft → submitted → approved → (draft of the next version |
retired → draft or approved again); a submitted document can be returned to draft.

Each command checks every document it is given before it writes anything, so a refused
command changes nothing. Approval freezes the exact text, every key and the quiz in a snapshot
bound by one SHA-256 (`writing.render_snapshot`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..content.catalogue import Catalogue
from ..content.documents import Approval, Content, Status, WorkingCopy
from ..content.links import document_links
from ..content.organisation import DecisionBody
from ..content.problems import Problem
from ..content.publications import site_path
from ..content.returns import ReturnRecord, Returns
from ..content.snapshots import changed_since, frozen_quiz_path, snapshot_path
from ..errors import LifecycleError, UserError
from . import gates
from .frontmatter_edit import update_front_matter
from .writing import atomic_write, render_snapshot

ALLOWED = {
    "submit": {Status.DRAFT},
    "approve": {Status.SUBMITTED},
    "return": {Status.SUBMITTED},
    "revise": {Status.APPROVED, Status.RETIRED},
    "retire": {Status.DRAFT, Status.SUBMITTED, Status.APPROVED},
    "reinstate": {Status.RETIRED},
}
HINTS = {
    "submit": "bara ett utkast (draft) kan skickas för beslut",
    "approve": "bara ett dokument som skickats för beslut (submitted) kan godkännas; "
               "kör först rutinportal submit",
    "return": "bara ett dokument som skickats för beslut (submitted) kan återremitteras",
    "revise": "bara ett godkänt (approved) eller upphävt (retired) dokument kan revideras",
    "retire": "dokumentet är redan upphävt",
    "reinstate": "bara ett upphävt dokument (retired) kan återinföras",
}
# What a new version does not inherit from the previous one (rutinportal revise).
PREVIOUS_VERSION = ("submitted_on", "approved_by", "approved_on", "decision", "change_note",
                    "retired_on", "retired_by", "retired_decision")


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


def _latest_version(catalogue: Catalogue, doc: WorkingCopy) -> int:
    versions = catalogue.snapshots.get(doc.id) or []
    return versions[-1].version if versions else 0


def _approval_files(catalogue: Catalogue, doc: WorkingCopy, content: Content,
                    approval: Approval) -> tuple[list[tuple[Path, str]], str]:
    """The snapshot (and frozen quiz) of an approved version, and its hash."""
    path = snapshot_path(catalogue.root, doc.id, content.version)
    if path.exists():
        raise LifecycleError(f"{doc.shown}: version {content.version} är redan godkänd "
                             f"({path.relative_to(catalogue.root)}); ingenting har ändrats")
    quiz_text = catalogue.quiz_texts.get(content.quiz) if content.quiz else None
    text, sha = render_snapshot(content, approval, doc.shown, doc.body, quiz_text)
    files = [(path, text)]
    if quiz_text is not None:
        files.insert(0, (frozen_quiz_path(catalogue.root, doc.id, content.version), quiz_text))
    return files, sha


def submit(catalogue: Catalogue, ids: list[str], today: dt.date) -> list[WorkingCopy]:
    docs = _documents(catalogue, ids, "submit")
    gates.refuse(gates.ready_to_submit(catalogue, docs))
    # The waiting time starts now, also after a return for changes.
    _apply([Change(d, {"status": "submitted", "submitted_on": today}) for d in docs])
    return docs


def approve(catalogue: Catalogue, ids: list[str], by: str, decision: str, today: dt.date,
            on: dt.date | None = None) -> list[WorkingCopy]:
    if not by.strip() or not decision.strip():
        raise UserError("--by och --decision måste anges: vem som beslutade och "
                        "beslutsreferensen (t.ex. \"LG U&S 2026-03-02 § 4\")")
    day = gates.decision_date(on, today)
    docs = _documents(catalogue, ids, "approve")
    body = gates.deciding_body(catalogue, by, docs)
    gates.refuse(gates.ready_to_approve(catalogue, docs))
    changes = []
    for doc in docs:
        approval = Approval(doc.approval.submitted_on, body.name, day, decision.strip())
        files, sha = _approval_files(catalogue, doc, doc.content, approval)
        record = {"approved_by": approval.approved_by, "approved_on": approval.approved_on,
                  "decision": approval.decision}
        changes.append(Change(doc, {"status": Status.APPROVED.value, **record,
                                    "approved_sha256": sha}, files))
    _apply(changes)
    return docs


def return_for_changes(catalogue: Catalogue, ids: list[str], comment: str, by: str | None,
                       decision: str | None, today: dt.date, on: dt.date | None = None
                       ) -> list[WorkingCopy]:
    """Återremiss: back to draft with the body's comment, kept in `returns`."""
    if not comment.strip():
        raise UserError("--comment: förväntade vad som ska ändras, med organets ord; fick "
                        "en tom text. Ingenting har ändrats.")
    day = gates.decision_date(on, today)
    docs = _documents(catalogue, ids, "return")
    changes = []
    for doc in docs:
        body: DecisionBody | None = (gates.deciding_body(catalogue, by, [doc]) if by
                                     else catalogue.organisation.body_of(doc.content.decided_by))
        if body is None:
            raise UserError("--by: ange vilket organ som återremitterar; inget standardorgan "
                            "finns i organisation.yml. Ingenting har ändrats.")
        record = ReturnRecord(day, body.name, doc.content.version, comment.strip(),
                              decision.strip() if decision and decision.strip() else None,
                              doc.approval.submitted_on)
        changes.append(Change(doc, {"status": Status.DRAFT.value, "submitted_on": None,
                                    "returns": Returns.plain((*doc.returns, record))}))
    _apply(changes)
    return docs


def revise(catalogue: Catalogue, ids: list[str]) -> list[WorkingCopy]:
    """Start the next version: a draft without the previous version's approval record."""
    docs = _documents(catalogue, ids, "revise")
    _apply([Change(d, {"status": Status.DRAFT.value,
                       "version": max(d.content.version, _latest_version(catalogue, d)) + 1,
                       **dict.fromkeys(PREVIOUS_VERSION)}) for d in docs])
    return docs


def linking_documents(catalogue: Catalogue, doc_id: str) -> list[tuple[str, str, int]]:
    """Published documents whose text links to `doc_id`: (id, file, line in the file)."""
    doc = catalogue.documents[doc_id]
    target = {site_path(doc.kind, doc.shown): doc}
    found = []
    for pub in catalogue.publications():
        for link in document_links(pub.site_path, pub.body, target):
            found.append((pub.id, pub.source, pub.body_line + link.link.line - 1))
    return found


def retire(catalogue: Catalogue, ids: list[str], decision: str, by: str | None,
           today: dt.date, on: dt.date | None = None,
           confirm: Callable[[list[WorkingCopy]], None] = lambda docs: None
           ) -> list[WorkingCopy]:
    """Record the decision to retire; the documents leave every output at the next build.
    Published pages that link to them keep building (the link becomes a note)."""
    if not decision.strip():
        raise UserError("--decision: förväntade beslutsreferensen för upphävandet. "
                        "Ingenting har ändrats.")
    day = gates.decision_date(on, today)
    docs = _documents(catalogue, ids, "retire")
    changes = []
    for doc in docs:
        body = gates.deciding_body(catalogue, by, [doc]) if by else \
            catalogue.organisation.body_of(doc.content.decided_by)
        changes.append(Change(doc, {"status": Status.RETIRED.value, "retired_on": day,
                                    "retired_by": body.name if body else None,
                                    "retired_decision": decision.strip()}))
    gates.refuse(gates.hand_written_links(catalogue, docs))
    confirm(docs)  # e.g. show who links to them and ask; raises to stop
    _apply(changes)
    return docs


def reinstate(catalogue: Catalogue, ids: list[str], decision: str, by: str | None,
              today: dt.date, on: dt.date | None = None) -> list[WorkingCopy]:
    """Bring retired documents back, unchanged, as a new approved version (decided by `by`,
    or by the body each document names, or the default body)."""
    if not decision.strip():
        raise UserError("--decision: förväntade beslutsreferensen för återinförandet. "
                        "Ingenting har ändrats.")
    day = gates.decision_date(on, today)
    docs = _documents(catalogue, ids, "reinstate")
    changes, problems = [], []
    for doc in docs:
        body = gates.deciding_body(catalogue, by, [doc]) if by else \
            catalogue.organisation.body_of(doc.content.decided_by)
        if body is None:
            raise UserError("--by: ange vilket organ som beslutade; inget standardorgan finns "
                            "i organisation.yml. Ingenting har ändrats.")
        versions = catalogue.snapshots.get(doc.id) or []
        if not versions:
            problems.append(Problem(doc.shown, doc.line("status"), "status", (
                "dokumentet har aldrig godkänts; kör rutinportal revise "
                f"{doc.id} och skicka det för beslut")))
            continue
        latest = versions[-1]
        quiz_text = catalogue.quiz_texts.get(doc.content.quiz) if doc.content.quiz else None
        changed = [k for k in changed_since(latest, doc.content, doc.body, quiz_text)
                   if k != "version"]
        if changed:
            problems.append(Problem(doc.shown, doc.line("status"), "status", (
                f"{', '.join(changed)} har ändrats sedan version {latest.version}; ett "
                f"återinförande gäller den godkända texten – kör rutinportal revise {doc.id} "
                "och skicka den nya versionen för beslut")))
            continue
        note = f"Återinförd oförändrad genom beslut {decision.strip()}."
        content = dataclasses.replace(latest.content, version=latest.version + 1,
                                      change_note=note, material_change=False)
        approval = Approval(None, body.name, day, decision.strip())
        files, sha = _approval_files(catalogue, doc, content, approval)
        changes.append(Change(doc, {
            "status": Status.APPROVED.value, "version": content.version,
            "change_note": note, "material_change": False, "submitted_on": None,
            "approved_by": body.name, "approved_on": day, "decision": decision.strip(),
            "approved_sha256": sha, "retired_on": None, "retired_by": None,
            "retired_decision": None}, files))
    gates.refuse(problems + gates.ready_to_approve(catalogue, docs))
    _apply(changes)
    return docs
