"""Acknowledgements: a person confirms reading one published version of a document.

Append-only and idempotent per person and version (a double click, or two processes racing,
give one record).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ...errors import NotPublished
from ..published import Published
from ..storage.db import write_lock
from ..storage.models import Acknowledgement, Person, utcnow


def dialect_insert(engine):
    return postgresql_insert if engine.dialect.name == "postgresql" else sqlite_insert


def acknowledge(session: Session, person: Person, published: Published, document_id: str,
                version: int, source: str = "web") -> tuple[Acknowledgement, bool]:
    """Record that `person` read `version` of a published document; (record, created)."""
    document = published.documents.get(document_id)
    if document is None:
        raise NotPublished(f"{document_id} är inte publicerat och kan inte kvitteras. "
                           "Ingenting har registrerats.")
    if version != document.version:
        raise NotPublished(f"Version {version} av {document_id} är inte den publicerade "
                           f"versionen (version {document.version}). Ladda om sidan och läs "
                           "den gällande versionen. Ingenting har registrerats.")
    engine = session.get_bind()
    # One statement: insert unless this person already acknowledged this version. Then read
    # back what is stored.
    insert = dialect_insert(engine)(Acknowledgement).values(
        person_pk=person.id, document_id=document_id, version=version,
        sha256=document.sha256, source=source, acknowledged_at=utcnow(),
    ).on_conflict_do_nothing(index_elements=["person_pk", "document_id", "version"])
    with write_lock(engine):
        record = session.scalars(insert.returning(Acknowledgement)).first()
        session.commit()
    if record is not None:
        return record, True
    return session.scalars(select(Acknowledgement).where(
        Acknowledgement.person_pk == person.id, Acknowledgement.document_id == document_id,
        Acknowledgement.version == version)).one(), False
