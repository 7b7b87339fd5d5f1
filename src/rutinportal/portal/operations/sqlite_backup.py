"""SQLite: an online, consistent copy with SQLite's backup API, and a restore with the same.

The copy is made in one step of the backup API: it reads one consistent state of the database
while the portal keeps writing (the database runs in WAL mode, where a reader does not block
the writer). A copy made in several steps would start over whenever another process writes,
and under steady writes might never finish. The copy is switched to the rollback journal, so
that it is one self-contained file.

A restore writes the backup into the target with the same API, as one transaction: a reader
sees the old database or the restored one, and the target's WAL and lock files stay coherent.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from ...errors import UserError
from ..storage.db import private_file
from .contents import Contents, read_contents

BUSY_SECONDS = 30  # how long to wait for the portal's writer when it holds the lock


def copy_database(source: Path, target: Path, *, self_contained: bool) -> None:
    with closing(sqlite3.connect(source, timeout=BUSY_SECONDS)) as origin, \
            closing(sqlite3.connect(target, timeout=BUSY_SECONDS)) as copy:
        origin.backup(copy)  # pages=-1: the whole database in one consistent step
        if self_contained:
            copy.execute("PRAGMA journal_mode=DELETE")


def read_file(path: Path) -> Contents:
    """The contents of a SQLite file, after SQLite's own check that it is intact."""
    engine = create_engine(f"sqlite:///{path.as_posix()}", poolclass=NullPool)
    try:
        with engine.connect() as connection:
            verdict = connection.exec_driver_sql("PRAGMA quick_check").scalar()
            if verdict != "ok":
                raise UserError(f"{path}: SQLite-filen är skadad ({verdict})")
            return read_contents(connection)
    except DBAPIError as exc:
        raise UserError(f"{path}: kan inte läsas som SQLite-databas "
                        f"({exc.orig or exc})") from None
    finally:
        engine.dispose()


def backup(source: Path, temporary: Path) -> Contents:
    """Copy the live database `source` into `temporary`; what the copy holds."""
    if not source.is_file():
        raise UserError(f"{source}: databasen finns inte (ange --database eller "
                        "RUTINPORTAL_DATABASE)")
    copy_database(source, temporary, self_contained=True)
    return read_file(temporary)


def current_contents(target: Path) -> Contents:
    """What the restore target holds now; nothing when the file does not exist yet."""
    if not target.exists() or target.stat().st_size == 0:
        return Contents({}, None)
    return read_file(target)


def restore(backup_file: Path, target: Path) -> None:
    """Write the backup into `target` (created 0600 when missing), replacing all it held."""
    private_file(target)
    copy_database(backup_file, target, self_contained=False)
