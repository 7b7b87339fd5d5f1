"""PostgreSQL: `pg_dump` in custom format, and a restore with `pg_restore` and `psql`.

The client programs are looked for as the test server's binaries are (`testing.postgres`):
the newest `/usr/lib/postgresql/*/bin` that has them (Debian's layout), else `PATH`. The
password of the URL reaches them only through `PGPASSWORD`, never on a command line (where
`ps` would show it) and never in a message.

Backup: a transaction at REPEATABLE READ exports its snapshot, counts the rows of every table
in it, and `pg_dump --snapshot` dumps exactly that state, while the portal keeps writing.

Restore: `pg_restore` turns the archive into SQL, which `psql` runs in ONE transaction after
dropping the tables the target has: a restore that fails leaves the target as it was, and a
target with an older or newer schema keeps no table of it. Sequences come with the dump
(`setval`), so rows inserted after a restore get new ids.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url

from ...errors import UserError
from ..storage.db import masked
from .contents import VERSION_TABLE, Contents, read_contents

DEBIAN_BINARIES = "/usr/lib/postgresql/*/bin"
MISSING = ("{tools} finns inte (sökt i {where} och PATH). Installera PostgreSQL:s "
           "klientprogram (Debian: apt install postgresql-client) och försök igen.")


def _version_key(folder: str) -> list[int]:
    return [int(part) for part in Path(folder).parent.name.split(".") if part.isdigit()]


def find_tools(*names: str) -> dict[str, Path]:
    """The client programs `names`, all from one installation, or a user error."""
    folders = sorted(glob.glob(DEBIAN_BINARIES), key=_version_key, reverse=True)
    for folder in folders:
        if all((Path(folder) / name).exists() for name in names):
            return {name: Path(folder) / name for name in names}
    found = {name: shutil.which(name) for name in names}
    if all(found.values()):
        return {name: Path(path) for name, path in found.items() if path}
    raise UserError(MISSING.format(tools=" och ".join(names), where=DEBIAN_BINARIES))


def client(url: str) -> tuple[str, dict[str, str]]:
    """The libpq URI without the password, and an environment that carries the password."""
    parsed = make_url(url)
    uri = parsed.set(drivername="postgresql", password=None).render_as_string(
        hide_password=False)
    env = dict(os.environ)
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    return uri, env


def _tail(stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return " ".join(lines[-3:]) or "inget felmeddelande"


def _run(command: list[str | Path], env: dict[str, str], failure: str) -> str:
    done = subprocess.run([str(c) for c in command], env=env, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise UserError(f"{failure}: {_tail(done.stderr)}")
    return done.stdout


def backup(engine: Engine, url: str, temporary: Path) -> Contents:
    """Dump the database into `temporary`; what the dump holds (counted in its snapshot)."""
    pg_dump = find_tools("pg_dump")["pg_dump"]
    uri, env = client(url)
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        with connection.begin():
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            contents = read_contents(connection)
            _run([pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}",
                  f"--file={temporary}", f"--dbname={uri}"], env,
                 f"pg_dump misslyckades för {masked(url)}")
    return contents


_COPY = re.compile(r"^COPY \S*alembic_version \(version_num\) FROM stdin;$", re.M)


def archive_revision(file: Path) -> str | None:
    """The schema version inside a pg_dump archive (its alembic_version), read without
    restoring it; None when the archive has no such table (not Rutinportal's)."""
    pg_restore = find_tools("pg_restore")["pg_restore"]
    listing = _run([pg_restore, "--list", file], dict(os.environ),
                   f"pg_restore kunde inte läsa {file}")
    if not re.search(rf"\bTABLE DATA \S+ {VERSION_TABLE}\b", listing):
        return None
    script = _run([pg_restore, "--data-only", f"--table={VERSION_TABLE}", "--file=-", file],
                  dict(os.environ), f"pg_restore kunde inte läsa {file}")
    match = _COPY.search(script)
    if match is None:
        return None
    rows = script[match.end():].lstrip("\n").split("\n", 1)[0]
    return None if rows == "\\." else rows.strip()


def restore(engine: Engine, url: str, file: Path) -> None:
    """Replace every table of the target with the archive's, in one transaction."""
    tools = find_tools("pg_restore", "psql")
    uri, env = client(url)
    inspector = inspect(engine)
    schema = inspector.default_schema_name
    drops = "".join(f'DROP TABLE IF EXISTS "{schema}"."{name}" CASCADE;\n'
                    for name in inspector.get_table_names())
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_errors:
        dump = subprocess.Popen([str(tools["pg_restore"]), "--no-owner", "--no-acl",
                                 "--file=-", str(file)], env=env, stdout=subprocess.PIPE,
                                stderr=restore_errors)
        psql = subprocess.Popen([str(tools["psql"]), "--no-psqlrc", "--quiet",
                                 "--single-transaction", "--set=ON_ERROR_STOP=1",
                                 "--no-password", f"--dbname={uri}", "--file=-"],
                                env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=psql_errors)
        assert dump.stdout is not None and psql.stdin is not None
        psql_stopped = False
        try:
            psql.stdin.write(drops.encode("utf-8"))
            shutil.copyfileobj(dump.stdout, psql.stdin)
        except BrokenPipeError:
            psql_stopped = True  # at an error (ON_ERROR_STOP): its message says which
        finally:
            dump.stdout.close()
        if dump.wait() != 0 and not psql_stopped:
            psql.kill()  # the transaction is never committed: the target stays as it was
            psql.wait()
            raise UserError(f"pg_restore kunde inte läsa {file}: "
                            f"{_tail(_read(restore_errors))}")
        try:
            psql.stdin.close()  # the end of the script: psql commits
        except BrokenPipeError:
            pass
        if psql.wait() != 0:
            raise UserError(f"Återläsningen till {masked(url)} misslyckades och ändrade "
                            f"ingenting: {_tail(_read(psql_errors))}")


def _read(handle) -> str:
    handle.seek(0)
    return handle.read().decode("utf-8", errors="replace")
