"""Fill a portal database fast: people, memberships and acknowledgements by bulk insert.

The schema comes from the portal's own migrations (`storage.migrate.upgrade`); rows go in with
SQLAlchemy Core `insert()` and lists of parameters (executemany; on PostgreSQL SQLAlchemy
batches them into multi-row INSERTs), in chunks, one transaction per chunk.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import Engine, insert, text

from rutinportal.portal.storage.migrate import upgrade
from rutinportal.portal.storage.models import Acknowledgement, Membership, Person

CHUNK = 20_000
LEADER = "p00000"  # role sektorsledning: sees every unit on /uppfoljning/


@dataclass(frozen=True)
class Roster:
    person_ids: list[str]          # "p00000", … in primary-key order (pk = index + 1)
    units: dict[str, str]          # person id -> unit


def _chunks(rows: Iterable[dict], size: int = CHUNK) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def insert_rows(engine: Engine, table, rows: Iterable[dict]) -> int:
    count = 0
    for chunk in _chunks(rows):
        with engine.begin() as connection:
            connection.execute(insert(table), chunk)
        count += len(chunk)
    return count


def fill_people(engine: Engine, count: int, units: list[str], seed: int = 1) -> Roster:
    """`count` active people spread over `units`; every 40th a manager of their unit; the
    first five sector leadership. Everybody has the role `alla`, as a roster import stores."""
    upgrade(engine)
    rng = random.Random(seed)
    now = dt.datetime.now(dt.timezone.utc)
    ids = [f"p{n:05d}" for n in range(count)]
    unit_of = {pid: units[n % len(units)] for n, pid in enumerate(ids)}
    insert_rows(engine, Person.__table__, (
        {"id": n + 1, "person_id": pid, "name": f"Person {n}", "email": f"{pid}@example.org",
         "active": True, "created_at": now, "updated_at": now}
        for n, pid in enumerate(ids)))

    def memberships() -> Iterator[dict]:
        for n, pid in enumerate(ids):
            pk = n + 1
            yield {"person_pk": pk, "kind": "unit", "audience_id": unit_of[pid]}
            yield {"person_pk": pk, "kind": "role", "audience_id": "alla"}
            if n < 5:
                yield {"person_pk": pk, "kind": "role", "audience_id": "sektorsledning"}
            elif n % 40 == 0 or rng.random() < 0.01:
                yield {"person_pk": pk, "kind": "role", "audience_id": "chefer"}
                yield {"person_pk": pk, "kind": "manages", "audience_id": unit_of[pid]}

    insert_rows(engine, Membership.__table__, memberships())
    _sync_sequence(engine, "people")
    return Roster(ids, unit_of)


def fill_acknowledgements(engine: Engine, roster: Roster,
                          documents: list[tuple[str, int, str]], seed: int = 2) -> int:
    """About 93 % of people × documents acknowledged (the rate varies by unit), at the
    published version; `documents` are (id, version, sha256)."""
    rng = random.Random(seed)
    units = sorted(set(roster.units.values()))
    rate = {u: 0.85 + 0.15 * i / max(1, len(units) - 1) for i, u in enumerate(units)}
    start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=120)

    def rows() -> Iterator[dict]:
        for n, pid in enumerate(roster.person_ids):
            share = rate[roster.units[pid]]
            for doc_id, version, sha in documents:
                if rng.random() < share:
                    yield {"person_pk": n + 1, "document_id": doc_id, "version": version,
                           "sha256": sha, "source": "web",
                           "acknowledged_at": start + dt.timedelta(
                               minutes=rng.randint(0, 120 * 24 * 60))}

    return insert_rows(engine, Acknowledgement.__table__, rows())


def _sync_sequence(engine: Engine, table: str) -> None:
    """After explicit primary keys, PostgreSQL's sequence must continue after them."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"))


def analyze(engine: Engine) -> None:
    """Fresh planner statistics, as autovacuum would have them after a real import."""
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
