"""Engines and sessions for SQLite (default, under var/) and PostgreSQL (psycopg 3)."""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_SQLITE = "var/rutinportal.sqlite3"
PRIVATE_FOLDER = "var"  # the portal's own folder (database, secret key): only for us


def private_folder(path: Path) -> None:
    """Create `path` readable only by us (0700); the portal's own var/ is tightened too."""
    if not path.exists():
        path.mkdir(mode=0o700, parents=True)
        os.chmod(path, 0o700)  # mkdir's mode is masked by the umask
    elif path.name == PRIVATE_FOLDER and stat.S_IMODE(path.stat().st_mode) & 0o077:
        os.chmod(path, 0o700)


def private_file(path: Path) -> None:
    """The SQLite file holds personal data: created 0600, and tightened when it is looser.

    SQLite gives its -wal and -shm files the mode of the database file.
    """
    private_folder(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            os.chmod(path, 0o600)


def default_url(root: Path) -> str:
    return f"sqlite:///{(root / DEFAULT_SQLITE).as_posix()}"


def normalise_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever driver the URL names (or none)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            private_file(Path(parsed.database))
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record):  # pragma: no cover - trivial
            cursor = connection.cursor()
            # WAL: readers do not block the writer; synchronous=FULL: a 2xx answer is on disk.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


_SQLITE_WRITERS: dict[int, threading.Lock] = {}


def write_lock(engine: Engine):
    """Serialise this process's writes on SQLite; nothing to do on PostgreSQL.

    SQLite has one writer at a time. Without this, concurrent requests find the database
    locked and sleep in SQLite's busy handler with growing back-off, which is what makes the
    slowest answers slow; a lock in the process hands the turn over at once.
    """
    if engine.dialect.name != "sqlite":
        return contextlib.nullcontext()
    return _SQLITE_WRITERS.setdefault(id(engine), threading.Lock())


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def masked(url: str) -> str:
    """The URL with its password hidden, for logs and messages."""
    return make_url(url).render_as_string(hide_password=True)


@contextlib.contextmanager
def open_database(url: str) -> Iterator[Session]:
    """A session on `url`, its schema brought up to date first; the engine is disposed after.

    For commands that run once (the CLI), not for the portal's requests.
    """
    from .migrate import upgrade

    engine = make_engine(url)
    try:
        upgrade(engine)
        with session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()
