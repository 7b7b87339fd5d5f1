"""`rutinportal notify` for 3,000 people against a local SMTP server (aiosmtpd in this
process; notify runs as its own process, as the nightly timer runs it).

The database is filled directly (3,000 people, ~93 % of 200 routines acknowledged), and then
the acknowledgements of five routines are taken away, as if they had just been approved: nearly
everybody gets a digest (what they owe), every manager a weekly summary — the heaviest night
there is. Timed: the whole command, wall clock, from start to exit (one SMTP
connection for the run, a commit per message marked sent). Then the same day again: it must
send nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import delete

from rutinportal.portal.storage.db import make_engine
from rutinportal.portal.storage.models import Acknowledgement
from rutinportal.testing.server import free_port

from . import dbfill, report
from .acks import units_of

TARGET_S = 60.0
FRESH = 5  # routines "just approved": nobody has acknowledged them yet


class Counting:
    """An SMTP server that accepts everything and only counts (it must not be the limit)."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        with self.lock:
            self.count += 1
        return "250 2.0.0 Ok"


def _notify(root: Path, site: Path, url: str, port: int, day: dt.date, log_path: Path) -> float:
    env = {**os.environ, "RUTINPORTAL_ROOT": str(root), "RUTINPORTAL_SMTP_HOST": "127.0.0.1",
           "RUTINPORTAL_SMTP_PORT": str(port), "RUTINPORTAL_SMTP_TLS": "none",
           "RUTINPORTAL_MAIL_FROM": "Rutinportalen <rutiner@kommun.example>",
           "RUTINPORTAL_PUBLIC_URL": "https://rutiner.kommun.example"}
    command = [str(Path(sys.executable).with_name("rutinportal")), "notify", "--today",
               day.isoformat(), "--database", url, "--site-dir", str(site)]
    with log_path.open("ab") as log:
        started = time.perf_counter()
        done = subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise AssertionError(f"rutinportal notify exited {done.returncode}: see {log_path}")
    return seconds


def bench_database(label: str, url: str, root: Path, site: Path, workdir: Path, *,
                   people: int = 3000, log=print) -> dict:
    engine = make_engine(url)
    roster = dbfill.fill_people(engine, people, units_of(root))
    routines = dbfill.published_documents(site)
    rows = dbfill.fill_acknowledgements(engine, roster, routines)
    fresh = sorted(d.id for d in routines)[:FRESH]
    with engine.begin() as connection:
        rows -= connection.execute(delete(Acknowledgement).where(
            Acknowledgement.document_id.in_(fresh))).rowcount
    if engine.dialect.name == "postgresql":
        dbfill.analyze(engine)
    engine.dispose()
    log(f"  {label:10}: {people:,} people, {len(routines)} routines, {rows:,} acknowledgements")
    counting = Counting()
    port = free_port()
    controller = Controller(counting, hostname="127.0.0.1", port=port)
    controller.start()
    day = dt.date.today()
    try:
        first = _notify(root, site, url, port, day, workdir / f"notify-{label}.log")
        sent = counting.count
        again = _notify(root, site, url, port, day, workdir / f"notify-{label}.log")
        resent = counting.count - sent
    finally:
        controller.stop()
    result = {"database": label, "people": people, "routines": len(routines),
              "messages": sent, "seconds": round(first, 2),
              "per_second": round(sent / first, 1) if first else None,
              "again_s": round(again, 2), "again_messages": resent, "target_s": TARGET_S,
              "met": first < TARGET_S and resent == 0}
    log(f"  {label:10}: {sent:,} messages in {first:.1f} s; the same day again: "
        f"{resent} in {again:.1f} s")
    return result


def print_notify(results: list[dict]) -> str:
    rows = [[r["database"], r["people"], r["messages"], r["seconds"], r["per_second"],
             r["again_s"], r["again_messages"], "ja" if r["met"] else "nej"] for r in results]
    return report.table(
        "e. rutinportal notify mot en lokal SMTP-server (en körning, hela kommandot)",
        ["databas", "personer", "meddelanden", "sekunder", "per sekund", "igen s",
         "igen skickade", f"< {TARGET_S:g} s"], rows)
