"""Two `rutinportal notify` runs at the same moment, as two hosts' timers would start them:
two OS processes over one PostgreSQL, one real SMTP server. Every message arrives once.

Both processes are held at the `notifications` table (the test locks it) until both have
composed their messages and wait there, then let go together: they claim the same messages
at the same time, in chunks, and the database gives each message to one of them.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from rutinportal.cli import main
from rutinportal.portal.storage.db import make_engine, session_factory
from rutinportal.portal.storage.models import Notification
from rutinportal.testing.concurrency import run_together

from ..support import write_roster
from .conftest import import_on

pytestmark = pytest.mark.build

JOINED = dt.date(2026, 12, 1)
STAFF = 1100  # more than two of claim's chunks (500): the runs meet chunk after chunk
SENT = re.compile(r"Utskick \S+: (\d+) meddelanden skickade")
SKIPPED = re.compile(r"(\d+) skickades av en annan körning")
PLANNED = re.compile(r"Provkörning \S+: (\d+) meddelanden skulle skickas")


def roster(path: Path) -> Path:
    rows = [(f"p{n:04d}", f"Person {n}", f"p{n:04d}@example.org", "hemtjanst", "", "")
            for n in range(STAFF)]
    rows.append(("hanna.hemchef", "Hanna Hemchef", "hanna@example.org", "hemtjanst",
                 "chefer", "hemtjanst"))
    rows.append(("sam.samordnare", "Sam Samordnare", "sam@example.org", "utveckling-stod",
                 "samordnare", ""))
    return write_roster(path, rows)


def test_two_runs_at_once_send_every_message_exactly_once(built_example, postgresql_server,
                                                         smtp_server, tmp_path) -> None:
    url = postgresql_server.create_database("notify_two_hosts")
    import_on(built_example.root, url, roster(tmp_path / "personal.csv"), JOINED)
    env = {"RUTINPORTAL_ROOT": str(built_example.root), **smtp_server.env()}
    args = ["notify", "--today", JOINED.isoformat(), "--database", url,
            "--site-dir", str(built_example.site)]
    planned = CliRunner().invoke(main, [*args, "--dry-run"], env=env)
    assert planned.exit_code == 0, planned.output
    expected = int(PLANNED.search(planned.output).group(1))
    assert expected > 2 * 500

    program = str(Path(sys.executable).with_name("rutinportal"))
    first, second = run_together(url, "notifications", [[program, *args], [program, *args]],
                                 env, tmp_path)
    assert first.returncode == 0, first.output
    assert second.returncode == 0, second.output

    messages = smtp_server.inbox.messages
    assert len(messages) == expected
    assert len({(m["To"], m["X-Rutinportalen"]) for m in messages}) == expected
    assert len({m["Message-ID"] for m in messages}) == expected
    sent = [int(SENT.search(run.output).group(1)) for run in (first, second)]
    assert sum(sent) == expected, (first.output, second.output)
    for run, mine in zip((first, second), sent):
        skipped = SKIPPED.search(run.output)
        assert (int(skipped.group(1)) if skipped else 0) == expected - mine, run.output
    engine = make_engine(url)
    try:
        with session_factory(engine)() as session:
            stored = Counter(session.execute(
                select(Notification.sent_at.is_not(None), func.count())
                .group_by(Notification.sent_at.is_not(None))).all())
            runs = session.scalars(select(Notification.run_id).distinct()).all()
    finally:
        engine.dispose()
    assert stored == Counter({(True, expected): 1})  # one claim per message, all sent
    assert len(runs) in (1, 2)
    # And the next morning's run (same day) finds everything told: nothing more is sent.
    again = CliRunner().invoke(main, args, env=env)
    assert again.exit_code == 0 and "Utskick 2026-12-01: 0 meddelanden skickade" in \
        again.output
    assert len(smtp_server.inbox.messages) == expected
