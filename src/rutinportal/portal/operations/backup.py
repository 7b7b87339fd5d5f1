"""`rutinportal db backup` and `db restore`: the front door, the same for SQLite and
PostgreSQL (`sqlite_backup`, `postgres_backup` do the work; `backup_files` tells the kinds
apart and writes atomically).

Checked before anything is written: the output folder exists and is not the database itself;
the file to restore is a backup of the target's kind, of a schema this code knows; the target
holds no data (or `force`). Reports say what the file holds, table by table.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from ...errors import UserError
from ..storage.db import make_engine, masked, normalise_url
from ..storage.migrate import head, known_revisions, upgrade
from . import postgres_backup, sqlite_backup
from .backup_files import KINDS, Kind, atomic_output, check_target, read_kind
from .contents import Contents, database_contents

NOT_OURS = ("{what}: är ingen databas för Rutinportalen (tabellen alembic_version saknas)")
NOT_EMPTY = ("{url}: databasen är inte tom ({summary}). Läs in säkerhetskopian i en tom "
             "databas, eller ange --force för att ersätta innehållet (det som finns där nu "
             "går förlorat).")
WRONG_KIND = ("{file}: är en säkerhetskopia av en {kind}-databas och kan inte läsas in i "
              "{target}-databasen {url}. Ange --database med en {kind}-databas.")
UNKNOWN_REVISION = ("{file}: säkerhetskopian har schemaversion {revision}, som den här "
                    "versionen av Rutinportalen inte känner till (senaste är {head}). "
                    "Uppdatera Rutinportalen först.")


@dataclass(frozen=True)
class BackupReport:
    file: Path
    kind: Kind
    contents: Contents  # what the backup holds
    size: int           # bytes


@dataclass(frozen=True)
class RestoreReport:
    file: Path
    kind: Kind
    replaced: Contents   # what the target held before (empty unless forced)
    contents: Contents   # what it holds now, as restored
    upgraded_to: str | None  # the schema version it was brought up to, if it was older


def _kind(url: str) -> Kind:
    backend = make_url(url).get_backend_name()
    for kind in KINDS:
        if kind.name == backend:
            return kind
    raise UserError(f"{masked(url)}: säkerhetskopiering stöds för SQLite och PostgreSQL, "
                    f"inte {backend}")


def _sqlite_file(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise UserError(f"{masked(url)}: en databas i minnet kan inte säkerhetskopieras")
    return Path(database)


@contextlib.contextmanager
def _reachable(url: str):
    """A database that cannot be reached is the operator's to fix: a message, no traceback."""
    try:
        yield
    except OperationalError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
        raise UserError(f"{masked(url)}: databasen går inte att nå ({reason})") from None


def backup(url: str, out: Path) -> BackupReport:
    """Write a consistent backup of the database at `url` to `out` (0600, atomically)."""
    url = normalise_url(url)
    kind = _kind(url)
    source = _sqlite_file(url) if kind.name == "sqlite" else None
    check_target(out, tuple(source.with_name(source.name + suffix)
                            for suffix in ("", "-wal", "-shm")) if source else ())
    with _reachable(url), atomic_output(out) as temporary:
        if source is not None:
            contents = sqlite_backup.backup(source, temporary)
        else:
            engine = make_engine(url)
            try:
                contents = postgres_backup.backup(engine, url, temporary)
            finally:
                engine.dispose()
        if contents.revision is None:
            raise UserError(NOT_OURS.format(what=masked(url)))
        size = temporary.stat().st_size
    return BackupReport(out, kind, contents, size)


def backup_revision(file: Path, kind: Kind) -> str:
    """The schema version the backup holds; a user error when it is not one we can restore."""
    if kind.name == "sqlite":
        revision = sqlite_backup.read_file(file).revision
    else:
        revision = postgres_backup.archive_revision(file)
    if revision is None:
        raise UserError(NOT_OURS.format(what=file))
    if revision not in known_revisions():
        raise UserError(UNKNOWN_REVISION.format(file=file, revision=revision, head=head()))
    return revision


def restore(url: str, file: Path, *, force: bool = False) -> RestoreReport:
    """Read the backup `file` into the database at `url`, which must hold no data unless
    `force`; then bring its schema up to date."""
    url = normalise_url(url)
    target = _kind(url)
    kind = read_kind(file)
    if kind != target:
        raise UserError(WRONG_KIND.format(file=file, kind=kind.label, target=target.label,
                                          url=masked(url)))
    backup_revision(file, kind)
    with _reachable(url):
        return _restore(url, file, kind, force)


def _restore(url: str, file: Path, kind: Kind, force: bool) -> RestoreReport:
    path = _sqlite_file(url) if kind.name == "sqlite" else None
    replaced = sqlite_backup.current_contents(path) if path else _contents(url)
    if not replaced.empty and not force:
        raise UserError(NOT_EMPTY.format(url=masked(url), summary=replaced.summary()))
    if path is not None:
        sqlite_backup.restore(file, path)
    engine = make_engine(url)
    try:
        if path is None:
            postgres_backup.restore(engine, url, file)
        contents = database_contents(engine)
        upgraded_to = None
        if contents.revision != head():
            upgrade(engine)
            upgraded_to = head()
    finally:
        engine.dispose()
    return RestoreReport(file, kind, replaced, contents, upgraded_to)


def _contents(url: str) -> Contents:
    engine = make_engine(url)
    try:
        return database_contents(engine)
    finally:
        engine.dispose()
