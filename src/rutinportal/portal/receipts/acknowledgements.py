"""Acknowledgements: a person confirms reading one published version of a document.

Append-only and idempotent per person and version (a double click, or two processes racing,
give one record). Every acknowledgement is on disk before it is answered; concurrent ones
share a commit (`storage.group_commit`): one transaction per batch, SQL without ORM objects.
What is recorded: the person, the document and version, the SHA-256 of the published text
the person read, when, and where from (`source`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, select, tuple_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ...errors import NotPublished, UserError
from ..access.auth import not_on_roster
from ..published import Published
from ..storage.group_commit import GroupCommit
from ..storage.models import Acknowledgement, Person, utcnow

ACKS = Acknowledgement.__table__
PEOPLE = Person.__table__
KEY = ("person_pk", "document_id", "version")


@dataclass(frozen=True)
class Wanted:
    """One acknowledgement asked for: who, what, and the text's hash (or why not)."""

    person_id: str
    document_id: str
    version: int
    sha256: str = ""
    refusal: str = ""  # the document or version is not published: nothing is written
    source: str = "web"


@dataclass(frozen=True)
class Receipt:
    document_id: str
    version: int
    acknowledged_at: dt.datetime
    created: bool  # False: the same acknowledgement was there already


def wanted(published: Published, person_id: str, document_id: str, version: int,
           source: str = "web") -> Wanted:
    """What `person_id` asks for, checked against what is published (no database)."""
    document = published.documents.get(document_id)
    if document is None:
        return Wanted(person_id, document_id, version, source=source, refusal=(
            f"{document_id} är inte publicerat och kan inte kvitteras. Ingenting har "
            "registrerats."))
    if version != document.version:
        return Wanted(person_id, document_id, version, source=source, refusal=(
            f"Version {version} av {document_id} är inte den publicerade versionen (version "
            f"{document.version}). Ladda om sidan och läs den gällande versionen. Ingenting "
            "har registrerats."))
    return Wanted(person_id, document_id, version, document.sha256, source=source)


def _insert(connection: Connection):
    dialect = connection.dialect.name
    return (postgresql_insert if dialect == "postgresql" else sqlite_insert)(ACKS)


def record(connection: Connection, batch: Sequence[Wanted]) -> list[Receipt | UserError]:
    """Record a batch in the caller's transaction; one outcome per item, in order.

    A person who is not an active member of the roster gets 403, a version that is not
    published 422 (in that order, as one request alone would); nothing is written for them.
    """
    people = {row.person_id: row for row in connection.execute(
        select(PEOPLE.c.id, PEOPLE.c.person_id, PEOPLE.c.active)
        .where(PEOPLE.c.person_id.in_({w.person_id for w in batch})))}
    outcomes: list[Receipt | UserError | None] = [None] * len(batch)
    keys: dict[tuple[int, str, int], list[int]] = {}  # one row per key, however often asked
    rows = []
    now = utcnow()
    for index, item in enumerate(batch):
        person = people.get(item.person_id)
        if person is None or not person.active:
            outcomes[index] = not_on_roster(item.person_id)
        elif item.refusal:
            outcomes[index] = NotPublished(item.refusal)
        else:
            key = (person.id, item.document_id, item.version)
            if key not in keys:
                rows.append({"person_pk": key[0], "document_id": key[1], "version": key[2],
                             "sha256": item.sha256, "source": item.source,
                             "acknowledged_at": now})
            keys.setdefault(key, []).append(index)
    created: set[tuple[int, str, int]] = set()
    if rows:
        statement = _insert(connection).on_conflict_do_nothing(index_elements=list(KEY)) \
            .returning(ACKS.c.person_pk, ACKS.c.document_id, ACKS.c.version)
        created = {tuple(row) for row in connection.execute(statement, rows)}
    moments = {key: now for key in created}
    existing = [key for key in keys if key not in created]
    if existing:
        moments.update({(r.person_pk, r.document_id, r.version): r.acknowledged_at
                        for r in connection.execute(
                            select(ACKS.c.person_pk, ACKS.c.document_id, ACKS.c.version,
                                   ACKS.c.acknowledged_at)
                            .where(tuple_(*(ACKS.c[k] for k in KEY)).in_(existing)))})
    for key, indexes in keys.items():
        first = key in created
        for n, index in enumerate(indexes):
            # The first of a key's requests created it; a second click in the same batch
            # finds it there, as it would a moment later.
            outcomes[index] = Receipt(key[1], key[2], moments[key], first and n == 0)
    return outcomes  # type: ignore[return-value]


Writer = GroupCommit[Wanted, Receipt]


def writer(engine: Engine) -> Writer:
    """The process's acknowledgement writer (one per engine)."""
    return GroupCommit(engine, record)
