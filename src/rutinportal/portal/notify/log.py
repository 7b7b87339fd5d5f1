"""The e-mail runs as the coordinator sees them on /uppfoljning/: when, for which day, how
many messages of each kind, how many failed, and who got nothing (no e-mail, left)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..storage.models import NotifyRun
from .compose import KINDS

SHOWN = 10


@dataclass(frozen=True)
class RunRow:
    today: dt.date
    started_at: dt.datetime
    finished: bool
    counts: list[tuple[str, int]]  # (Swedish kind, sent)
    sent: int
    failed: int
    no_email: int
    left: int


def recent_runs(session: Session, limit: int = SHOWN) -> list[RunRow]:
    runs = session.scalars(select(NotifyRun).order_by(NotifyRun.started_at.desc(),
                                                      NotifyRun.id.desc()).limit(limit))
    rows = []
    for run in runs:
        counts = {k: int(v) for k, v in (run.counts or {}).items()}
        started = run.started_at if run.started_at.tzinfo else \
            run.started_at.replace(tzinfo=dt.timezone.utc)
        rows.append(RunRow(run.today, started.astimezone(), run.finished_at is not None,
                           [(label, counts.get(kind, 0)) for kind, label in KINDS.items()],
                           sum(counts.values()), run.failed, run.no_email, run.left))
    return rows
