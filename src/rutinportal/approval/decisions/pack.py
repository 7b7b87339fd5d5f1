"""What goes into a decision pack (*beslutsunderlag*): the body, the documents waiting for its
decision, and for each what a member needs to decide: facts, change note, returns so far, the
redline against the approved version, how many people must acknowledge it.

Pure: the catalogue, the day and the roster's counts in, a `DecisionPack` out. Choosing the
documents checks everything first and says in Swedish what is wrong (`UserError`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ...content.catalogue import Catalogue
from ...content.documents import Kind, Status, WorkingCopy
from ...content.organisation import DecisionBody, Organisation
from ...content.returns import ReturnRecord
from ...content.snapshots import SNAPSHOT_DIR, Snapshot
from ...errors import UserError
from ..redline import Redline, redline
from .facts import FactChange, changed_facts

# "… beslutar att godkänna RUT-004 version 2, rutinen ”…”": the kind in definite form.
DEFINITE = {Kind.ROUTINE: "rutinen", Kind.TRAINING: "utbildningsmodulen",
            Kind.LESSON: "lärdomen"}


@dataclass(frozen=True)
class PackDocument:
    """One document before the body."""

    doc: WorkingCopy
    approved: Snapshot | None      # the version in force (the latest approved); None: new
    days_waiting: int | None
    returns: tuple[ReturnRecord, ...]   # of this version, oldest first
    audience_count: int | None     # active people in the roster it reaches; None: unknown
    redline: Redline | None        # against `approved`; None for a new document
    facts: tuple[FactChange, ...]  # keys that change against `approved`
    decision: str                  # the proposed decision, as it would be minuted

    @property
    def id(self) -> str:
        return self.doc.id

    @property
    def new(self) -> bool:
        return self.approved is None

    @property
    def rounds(self) -> int:
        return len(self.returns) + 1

    @property
    def acknowledge_again(self) -> bool:
        """Whether the audience must acknowledge (or complete) this version."""
        content = self.doc.content
        return content.mandatory and (self.new or content.material_change) \
            and self.doc.kind is not Kind.LESSON


@dataclass(frozen=True)
class DecisionPack:
    body: DecisionBody
    today: dt.date
    documents: tuple[PackDocument, ...]
    organisation: Organisation
    roster: bool                   # whether the counts come from a roster


def decision_line(body: DecisionBody, doc: WorkingCopy) -> str:
    """The proposed decision in the style of a municipal minute (*protokoll*)."""
    return (f"{body.name} beslutar att godkänna {doc.id} version {doc.content.version}, "
            f"{DEFINITE[doc.kind]} ”{doc.content.title}”.")


def _body_list(organisation: Organisation) -> str:
    return "; ".join(f"{b.id} ({b.name})" for b in organisation.bodies) or \
        "inga: lägg till decision_bodies i organisation.yml"


def choose_body(organisation: Organisation, wanted: str | None) -> DecisionBody:
    """The body named by `--body` (id or name), or the default one."""
    if wanted is None:
        body = organisation.body(organisation.default_body)
        if body is None:
            raise UserError(f"organisation.yml: defaults.decided_by saknas, så det finns inget "
                            f"organ som standard; ange --body, ett av: {_body_list(organisation)}")
        return body
    body = organisation.body(wanted)
    if body is None:
        raise UserError(f"--body: förväntade ett beslutande organ ur organisation.yml, id eller "
                        f"namn: {_body_list(organisation)}; fick '{wanted}'")
    return body


def _refuse(errors: list[str]) -> None:
    if errors:
        raise UserError("\n".join(errors) + "\nInget beslutsunderlag har skrivits.")


def _own_problems(catalogue: Catalogue, doc: WorkingCopy) -> bool:
    snapshots = f"{SNAPSHOT_DIR}/{doc.id}/"
    return bool(catalogue.own_problems(doc)) or doc.status is None or any(
        p.path.startswith(snapshots) for p in catalogue.problems)


def waiting_for(catalogue: Catalogue, body: DecisionBody) -> list[WorkingCopy]:
    """The documents submitted to `body` (those without `decided_by` to the default one),
    in id order."""
    organisation = catalogue.organisation
    return [d for d in sorted(catalogue.documents.values(), key=lambda d: d.id)
            if d.status is Status.SUBMITTED
            and organisation.body_of(d.content.decided_by) == body]


def choose_documents(catalogue: Catalogue, ids: Sequence[str], body: str | None
                     ) -> tuple[DecisionBody, list[WorkingCopy]]:
    """The body and its documents: those named (each submitted, all for one body), or else
    every document submitted to `body` (default: the default body)."""
    organisation = catalogue.organisation
    if not ids:
        chosen = choose_body(organisation, body)
        docs = waiting_for(catalogue, chosen)
        if not docs:
            raise UserError(f"Inget dokument väntar på beslut av {chosen.name} ({chosen.id}). "
                            "Inget beslutsunderlag har skrivits. (rutinportal status visar "
                            "vad som väntar, per organ.)")
        _refuse([f"{d.shown}: rätta först felen i filen (kör rutinportal check)"
                 for d in docs if _own_problems(catalogue, d)])
        return chosen, docs
    errors, docs = [], []
    for doc_id in dict.fromkeys(ids):
        doc = catalogue.documents.get(doc_id)
        if doc is None:
            errors.append(f"{doc_id}: dokumentet finns inte; förväntade ett id som "
                          "rutinportal status visar")
        elif _own_problems(catalogue, doc):
            errors.append(f"{doc.shown}: rätta först felen i filen (kör rutinportal check)")
        elif doc.status is not Status.SUBMITTED:
            errors.append(f"{doc.shown}: status är {doc.status.value} "
                          f"({doc.status.label.lower()}); bara ett dokument som skickats för "
                          "beslut (submitted) kan tas med i ett beslutsunderlag "
                          "(rutinportal submit)")
        else:
            docs.append(doc)
    _refuse(errors)
    chosen = choose_body(organisation, body) if body is not None else None
    for doc in docs:
        own = organisation.body_of(doc.content.decided_by)
        if chosen is None:
            chosen = own
        elif own != chosen and (doc.content.decided_by or body is None):
            errors.append(f"{doc.shown}: decided_by: {doc.id} beslutas av "
                          f"{own.id if own else doc.content.decided_by}, inte av {chosen.id}; "
                          "ett beslutsunderlag gäller ett organ")
    _refuse(errors)
    if chosen is None:
        raise UserError(f"Inget organ beslutar om {', '.join(d.id for d in docs)}; ange "
                        f"--body, ett av: {_body_list(organisation)}")
    return chosen, docs


def pack_document(catalogue: Catalogue, body: DecisionBody, doc: WorkingCopy,
                  today: dt.date, count: int | None) -> PackDocument:
    versions = catalogue.snapshots.get(doc.id) or []
    approved = versions[-1] if versions else None
    submitted = doc.approval.submitted_on
    quiz_text = catalogue.quiz_texts.get(doc.content.quiz) if doc.content.quiz else None
    return PackDocument(
        doc=doc, approved=approved,
        days_waiting=(today - submitted).days if submitted else None,
        returns=tuple(r for r in doc.returns if r.version == doc.content.version),
        audience_count=count,
        redline=redline(approved.body, doc.body) if approved else None,
        facts=changed_facts(catalogue.organisation, approved, doc.content, doc.body,
                            quiz_text) if approved else (),
        decision=decision_line(body, doc))


def decision_pack(catalogue: Catalogue, body: DecisionBody, docs: Sequence[WorkingCopy],
                  today: dt.date, counts: Mapping[str, int] | None) -> DecisionPack:
    """The pack for `docs` (from `choose_documents`); `counts`: document id → the active
    people in the roster its audience reaches, or None when there is no roster."""
    return DecisionPack(body, today, tuple(
        pack_document(catalogue, body, d, today, None if counts is None else counts.get(d.id))
        for d in docs), catalogue.organisation, counts is not None)
