"""Portal fixtures: every database test runs on SQLite and on a real PostgreSQL server.

The PostgreSQL server is started once per test session from the local binaries
(/usr/lib/postgresql/*/bin), in a throw-away directory, listening only on 127.0.0.1; each
test gets a fresh database. PostgreSQL refuses to run as root, so as root (CI, containers)
the server runs as the `postgres` user through `runuser`.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from rutinportal.portal import migrate
from rutinportal.portal.db import make_engine, session_factory

SERVER_USER = "postgres"  # the OS user the server runs as when we are root
SUPERUSER = "postgres"  # the database superuser created by initdb


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@{self.host}:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        with psycopg.connect(host=self.host, port=self.port, user=SUPERUSER,
                             dbname="postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder with initdb and pg_ctl, if any."""
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                     key=lambda f: [int(p) for p in Path(f).parent.name.split(".")
                                    if p.isdigit()])
    for folder in reversed(folders):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).parent
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL-testerna kan inte köras i CI: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL-testerna hoppas över: {reason}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[PostgresServer]:
    binaries = _binaries()
    if binaries is None:
        _unavailable("initdb/pg_ctl finns inte under /usr/lib/postgresql/*/bin eller i PATH "
                     "(installera paketet postgresql)")
    as_root = os.geteuid() == 0
    prefix: list[str] = []
    if as_root:
        runuser = shutil.which("runuser")
        try:
            import pwd

            owner = pwd.getpwnam(SERVER_USER)
        except KeyError:
            owner = None
        if runuser is None or owner is None:
            _unavailable(f"testerna körs som root och PostgreSQL vägrar köra som root, men "
                         f"{'runuser' if runuser is None else 'användaren ' + SERVER_USER} "
                         f"saknas")
        prefix = [runuser, "-u", SERVER_USER, "--"]

    # Under /tmp, not pytest's tmp_path: that sits in a folder only we may enter, and the
    # server user must be able to traverse every parent of its data directory.
    base = Path(tempfile.mkdtemp(prefix="rutinportal-pg-", dir="/tmp" if as_root else None))
    data, sockets, log = base / "data", base / "sockets", base / "server.log"
    sockets.mkdir(mode=0o700)
    if as_root:
        for item in (base, sockets):
            shutil.chown(item, owner.pw_uid, owner.pw_gid)
    base.chmod(0o700)  # the server's own folder; /tmp itself is traversable by everybody
    port = _free_port()

    def run(*args: str | Path) -> None:
        subprocess.run([*prefix, *map(str, args)], check=True, capture_output=True,
                       text=True, timeout=60)

    def stop() -> None:
        if (data / "postmaster.pid").exists():
            subprocess.run([*prefix, str(binaries / "pg_ctl"), "stop", "-D", str(data),
                            "-m", "fast", "-w"], capture_output=True, timeout=60)

    try:
        try:
            run(binaries / "initdb", "-D", data, "-U", SUPERUSER, "--auth=trust",
                "--encoding=UTF8", "--locale=C", "--no-sync")
            run(binaries / "pg_ctl", "start", "-D", data, "-l", log, "-w", "-t", "30", "-o",
                f"-h 127.0.0.1 -p {port} -k {sockets} -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off")
        except subprocess.CalledProcessError as exc:
            server_log = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            pytest.fail(f"PostgreSQL startade inte: {' '.join(exc.cmd)}\n{exc.stdout}"
                        f"{exc.stderr}{server_log}", pytrace=False)
        yield PostgresServer("127.0.0.1", port)
    finally:
        stop()
        shutil.rmtree(base, ignore_errors=True)


_database_numbers = itertools.count(1)


@pytest.fixture(params=["sqlite", "postgresql"], ids=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, or a fresh database on the test PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{(tmp_path / 'portal.sqlite3').as_posix()}"
    server: PostgresServer = request.getfixturevalue("postgresql_server")
    return server.create_database(f"test_{next(_database_numbers)}")


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
