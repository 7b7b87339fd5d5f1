"""The Beslut page's work: the queue per body and the decision packs, from the repository's
catalogue and the roster's counts. Plain functions taking a session; no HTTP."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ...approval.decisions.pack import (DecisionPack, PackDocument, choose_documents,
                                        decision_pack, waiting_for)
from ...content.catalogue import Catalogue
from ...content.documents import Status
from ...content.organisation import DecisionBody
from ...errors import NotFound
from .audience import audience_counts


@dataclass(frozen=True)
class Queue:
    """One body and what waits for it (the pack is None when nothing does)."""

    body: DecisionBody
    pack: DecisionPack | None

    @property
    def longest_first(self) -> list[PackDocument]:
        items = self.pack.documents if self.pack else ()
        return sorted(items, key=lambda i: (-(i.days_waiting or 0), i.id))


def queues(session: Session, catalogue: Catalogue, today: dt.date) -> list[Queue]:
    """Every decision body with the documents waiting for it, in the order of
    organisation.yml."""
    found = []
    for body in catalogue.organisation.bodies:
        docs = waiting_for(catalogue, body)
        found.append(Queue(body, decision_pack(catalogue, body, docs, today,
                                               audience_counts(session, docs))
                           if docs else None))
    return found


def body_pack(session: Session, catalogue: Catalogue, body_id: str,
              today: dt.date) -> DecisionPack:
    """The pack of every document waiting for the body `body_id`."""
    body = next((b for b in catalogue.organisation.bodies if b.id == body_id), None)
    if body is None:
        raise NotFound(f"Det beslutande organet '{body_id}' finns inte i organisation.yml.")
    if not waiting_for(catalogue, body):
        raise NotFound(f"Inget dokument väntar på beslut av {body.name}.")
    body, docs = choose_documents(catalogue, (), body.id)
    return decision_pack(catalogue, body, docs, today, audience_counts(session, docs))


def document_pack(session: Session, catalogue: Catalogue, document_id: str,
                  today: dt.date) -> tuple[DecisionPack, PackDocument]:
    """One waiting document in a pack of its own."""
    doc = catalogue.documents.get(document_id)
    if doc is None or doc.status is not Status.SUBMITTED:
        state = f" (status: {doc.status.label.lower()})" if doc and doc.status else ""
        raise NotFound(f"{document_id} väntar inte på beslut{state}.")
    body, docs = choose_documents(catalogue, (document_id,), None)
    pack = decision_pack(catalogue, body, docs, today, audience_counts(session, docs))
    return pack, pack.documents[0]
