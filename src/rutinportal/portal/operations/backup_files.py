"""Backup files: which kind a file is, told by its content, and writing one atomically.

A backup is the database's own format, so standard tools read it too: a SQLite backup is a
SQLite database (it starts with SQLite's header, `SQLite format 3\\0`), a PostgreSQL backup is
a `pg_dump` archive in custom format (it starts with `PGDMP`). The file name does not matter:
`rutinportal db restore` reads the first bytes and refuses a file of the other kind, or of
neither.

Backups hold personal data: they are created readable only by their owner (0600), under a
hidden temporary name in the target folder, flushed to disk and only then renamed to the name
asked for. A backup that was interrupted never stands under that name; the previous file of
that name, if any, stays until the new one is complete.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ...errors import UserError


@dataclass(frozen=True)
class Kind:
    name: str    # the SQLAlchemy backend it belongs to: sqlite | postgresql
    label: str   # as messages name it
    magic: bytes


SQLITE = Kind("sqlite", "SQLite", b"SQLite format 3\x00")
POSTGRESQL = Kind("postgresql", "PostgreSQL", b"PGDMP")  # pg_dump's custom format
KINDS = (SQLITE, POSTGRESQL)

NOT_A_BACKUP = ("{file}: är ingen säkerhetskopia från rutinportal db backup: förväntade en "
                "SQLite-databas eller en pg_dump-fil i eget format (PGDMP), fick {got}")


def kind_of(path: Path) -> Kind | None:
    """The kind of backup `path` is, by its first bytes; None for anything else."""
    with path.open("rb") as handle:
        start = handle.read(16)
    return next((kind for kind in KINDS if start.startswith(kind.magic)), None)


def read_kind(file: Path) -> Kind:
    """The kind of an existing backup file, or a user error saying what is wrong."""
    if not file.exists():
        raise UserError(f"{file}: filen finns inte")
    if not file.is_file():
        raise UserError(f"{file}: är en mapp, inte en säkerhetskopia")
    kind = kind_of(file)
    if kind is None:
        got = "en tom fil" if file.stat().st_size == 0 else "något annat"
        raise UserError(NOT_A_BACKUP.format(file=file, got=got))
    return kind


def check_target(out: Path, database_files: tuple[Path, ...] = ()) -> None:
    """Refuse an output path that cannot or must not be written: before any work is done."""
    if out.is_dir():
        raise UserError(f"{out}: är en mapp; ange en fil, t.ex. "
                        f"{out / 'rutinportal-ÅÅÅÅ-MM-DD.backup'}")
    if not out.parent.is_dir():
        raise UserError(f"{out}: mappen {out.parent} finns inte")
    resolved = out.resolve()
    if any(resolved == f.resolve() for f in database_files):
        raise UserError(f"{out}: är själva databasen; skriv säkerhetskopian till en annan fil")


@contextlib.contextmanager
def atomic_output(out: Path) -> Iterator[Path]:
    """A temporary path (0600) beside `out` to write to; renamed to `out` when the block ends
    without an error, removed otherwise."""
    fd, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        with temporary.open("rb") as handle:
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)  # a tool may have replaced the file: 0600 all the same
        os.replace(temporary, out)
        _fsync_folder(out.parent)
    finally:
        temporary.unlink(missing_ok=True)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
