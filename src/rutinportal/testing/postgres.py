"""A throw-away PostgreSQL server for the tests and the benchmarks.

Started from the local binaries (/usr/lib/postgresql/*/bin). PostgreSQL refuses to run as
root, so as root (CI, containers) the server runs as the `postgres` user through `runuser`,
in a folder under /tmp that user owns (pytest's tmp_path sits in a folder only root may
enter), listening only on 127.0.0.1 on a free port with a private socket folder. fsync is off
for the tests (they check the portal, not the disk); the benchmarks ask for a durable server.
`Unavailable` says why no server could be started; the caller decides whether that skips or
fails.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .server import free_port

SERVER_USER = "postgres"
SUPERUSER = "postgres"


class Unavailable(Exception):
    """No PostgreSQL can be started here; the message says why."""


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@{self.host}:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(host=self.host, port=self.port, user=SUPERUSER,
                             dbname="postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def binaries() -> Path | None:
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


@contextmanager
def server(durable: bool = False) -> Iterator[PostgresServer]:
    """Start a server, yield it, and always stop it and remove its files.

    `durable`: every commit flushed to disk, as in production (the benchmarks); the tests
    skip the flushes for speed."""
    folder = binaries()
    if folder is None:
        raise Unavailable("initdb/pg_ctl saknas (installera paketet postgresql)")
    as_root = os.geteuid() == 0
    prefix: list[str] = []
    owner = None
    if as_root:
        import pwd

        runuser = shutil.which("runuser")
        try:
            owner = pwd.getpwnam(SERVER_USER)
        except KeyError:
            owner = None
        if runuser is None or owner is None:
            raise Unavailable("körs som root men runuser eller användaren postgres saknas")
        prefix = [runuser, "-u", SERVER_USER, "--"]
    base = Path(tempfile.mkdtemp(prefix="rutinportal-bench-pg-",
                                 dir="/tmp" if as_root else None))
    data, sockets, log = base / "data", base / "sockets", base / "server.log"
    sockets.mkdir(mode=0o700)
    if owner is not None:
        for item in (base, sockets):
            shutil.chown(item, owner.pw_uid, owner.pw_gid)
    base.chmod(0o700)
    port = free_port()

    def run(*args: str | Path) -> None:
        subprocess.run([*prefix, *map(str, args)], check=True, capture_output=True,
                       text=True, timeout=120)

    try:
        try:
            run(folder / "initdb", "-D", data, "-U", SUPERUSER, "--auth=trust",
                "--encoding=UTF8", "--locale=C", "--no-sync")
            fast = "" if durable else \
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            run(folder / "pg_ctl", "start", "-D", data, "-l", log, "-w", "-t", "60", "-o",
                f"-h 127.0.0.1 -p {port} -k {sockets} {fast}-c max_connections=200")
        except subprocess.CalledProcessError as exc:
            server_log = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise Unavailable(f"PostgreSQL startade inte: {exc.stderr}{server_log}") from None
        yield PostgresServer("127.0.0.1", port)
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([*prefix, str(folder / "pg_ctl"), "stop", "-D", str(data),
                            "-m", "fast", "-w"], capture_output=True, timeout=120)
        shutil.rmtree(base, ignore_errors=True)
