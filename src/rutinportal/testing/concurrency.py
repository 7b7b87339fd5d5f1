"""Start commands at the same moment against one PostgreSQL, for the exactly-once tests.

Starting two processes one after the other does not make them run together: the first may be
done before the second has read its settings. `held_table` holds an exclusive lock on a table
the commands must touch; each process stops at its first use of it. `run_together` starts the
commands, waits until every one of them is waiting for that lock (read from pg_stat_activity,
not guessed from time), then lets go: from there on they run truly concurrently.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url


@dataclass
class Finished:
    command: Sequence[str]
    returncode: int
    output: str


def _connect(url: str, autocommit: bool = False) -> psycopg.Connection:
    parsed = make_url(url)
    return psycopg.connect(host=parsed.host, port=parsed.port, user=parsed.username,
                           password=parsed.password, dbname=parsed.database,
                           autocommit=autocommit)


def _waiting(connection: psycopg.Connection) -> int:
    """Sessions waiting for a lock (asked outside a transaction: a transaction would see one
    snapshot of pg_stat_activity all along)."""
    return connection.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()").fetchone()[0]


def run_together(url: str, table: str, commands: Sequence[Sequence[str]],
                 env: Mapping[str, str], folder: Path, timeout: float = 300) -> list[Finished]:
    """Run `commands` (each touching `table`) so that they meet at `table` at once."""
    logs = [folder / f"process-{n}.log" for n in range(len(commands))]
    locker = _connect(url)
    watcher = _connect(url, autocommit=True)
    processes: list[subprocess.Popen] = []
    try:
        locker.execute(f'LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE')
        for command, log in zip(commands, logs):
            with log.open("wb") as handle:
                processes.append(subprocess.Popen(list(command), env={**os.environ, **env},
                                                  stdout=handle, stderr=subprocess.STDOUT))
        deadline = time.monotonic() + timeout
        while _waiting(watcher) < len(commands):
            exited = [p for p in processes if p.poll() is not None]
            if exited or time.monotonic() > deadline:
                raise RuntimeError("not every process reached the lock:\n" + "\n".join(
                    log.read_text(errors="replace")[-2000:] for log in logs))
            time.sleep(0.05)  # polling the database's state, not waiting for timing
    except BaseException:
        locker.rollback()
        locker.close()
        watcher.close()
        for process in processes:
            process.kill()
            process.wait(30)
        raise
    locker.rollback()  # let go: all of them continue at once
    locker.close()
    watcher.close()
    finished = []
    for command, process, log in zip(commands, processes, logs):
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(30)
        finished.append(Finished(command, process.returncode,
                                 log.read_text(errors="replace")))
    return finished
