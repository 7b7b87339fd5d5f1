"""Two `rutinportal retention` runs at the same moment (two hosts' nightly timers), as two OS
processes over one PostgreSQL: no error, nothing deleted twice, and the two counts add up to
what was due for deletion."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

from sqlalchemy import func, select

from rutinportal.portal.storage.db import make_engine, session_factory
from rutinportal.portal.storage.migrate import upgrade
from rutinportal.portal.storage.models import (IssuedAttempt, Person, QuizAttempt,
                                               SignInSession)
from rutinportal.testing.concurrency import run_together

OLD, RECENT = 1500, 40
DELETED = re.compile(r"^Raderade (\d+) kunskapstestförsök äldre än 3 år", re.M)


def seed(url: str) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    long_ago = now - dt.timedelta(days=4 * 366)
    engine = make_engine(url)
    upgrade(engine)
    with session_factory(engine)() as session:
        person = Person(person_id="anna.lind", name="Anna Lind", email="", active=True)
        session.add(person)
        session.flush()
        for n in range(OLD + RECENT):
            moment = long_ago if n < OLD else now
            session.add(QuizAttempt(person_pk=person.id, quiz_id="siths-kort", quiz_version=1,
                                    document_id="RUT-001", answers={}, score=1.0, passed=True,
                                    attempted_at=moment))
            if n % 10 == 0:
                session.add(IssuedAttempt(token=f"t{n}", person_pk=person.id,
                                          quiz_id="siths-kort", quiz_version=1, questions=[],
                                          issued_at=moment))
                session.add(SignInSession(token_sha256=f"{n:064d}", person_pk=person.id,
                                          auth_mode="dev", issuer="", created_at=moment,
                                          last_seen_at=moment))
        session.commit()
    engine.dispose()


def counts(url: str) -> tuple[int, int, int]:
    engine = make_engine(url)
    try:
        with session_factory(engine)() as session:
            return tuple(session.scalar(select(func.count()).select_from(table))
                         for table in (QuizAttempt, IssuedAttempt, SignInSession))
    finally:
        engine.dispose()


def test_two_runs_at_once_delete_each_attempt_once(postgresql_server, example_repo,
                                                   tmp_path: Path) -> None:
    url = postgresql_server.create_database("retention_two_hosts")
    seed(url)
    program = str(Path(sys.executable).with_name("rutinportal"))
    command = [program, "retention", "--database", url]
    runs = run_together(url, "quiz_attempts", [command, command],
                        {"RUTINPORTAL_ROOT": str(example_repo)}, tmp_path)
    for run in runs:
        assert run.returncode == 0, run.output
        assert "Kvittenserna sparas." in run.output
    deleted = [int(DELETED.search(run.output).group(1)) for run in runs]
    assert sum(deleted) == OLD, [run.output for run in runs]  # each counted by one run only
    assert counts(url) == (RECENT, RECENT // 10, RECENT // 10)
