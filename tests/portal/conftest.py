"""Portal fixtures: every database test runs on SQLite and on a real PostgreSQL server.

The PostgreSQL server is started once per test session from the local binaries
(/usr/lib/postgresql/*/bin), in a throw-away directory, listening only on 127.0.0.1; each
test gets a fresh database. PostgreSQL refuses to run as root, so as root (CI, containers)
the server runs as the `postgres` user through `runuser`.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from rutinportal.portal.storage import migrate
from rutinportal.portal.storage.db import make_engine, session_factory
from rutinportal.testing import postgres, smtp


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL-testerna kan inte köras i CI: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL-testerna hoppas över: {reason}")


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[postgres.PostgresServer]:
    """One server for the whole test session, stopped and removed at the end."""
    try:
        with postgres.server() as server:
            yield server
    except postgres.Unavailable as exc:
        _unavailable(str(exc))


_database_numbers = itertools.count(1)


@pytest.fixture(params=["sqlite", "postgresql"], ids=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, or a fresh database on the test PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{(tmp_path / 'portal.sqlite3').as_posix()}"
    server: postgres.PostgresServer = request.getfixturevalue("postgresql_server")
    return server.create_database(f"test_{next(_database_numbers)}")


@pytest.fixture
def smtp_server() -> Iterator[smtp.SmtpServer]:
    """A real SMTP server (aiosmtpd) on a free port, keeping what it accepts."""
    with smtp.server() as server:
        yield server


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on a database migrated to the newest schema."""
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine)
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_factory(engine)() as session:
        yield session
