"""Exactly once: every message is claimed in the database before it is sent.

A claim is a row in `notifications` with a unique `key` (recipient, kind, period, and the
obligation points it tells, `notice_marks`, each unique per person): inserted and committed
before the message goes to the SMTP server, then marked sent with the server's answer. So:

- a second run on the same day finds every key (and every point) taken: it sends nothing;
- two runs at the same moment, on two hosts, insert the same keys: the database lets one
  of them have each message (`ON CONFLICT DO NOTHING`), the other skips it;
- a run that dies leaves claimed messages unsent; the next run takes them over (only from a
  run that is over: finished, its process gone on this host, or silent for `STALE`) and
  sends them as they were claimed, with the same Message-ID.

The one window that cannot be closed: the server accepted a message and the run died
before it marked it sent. That message is sent again, with the same Message-ID, so that the
receiving side can recognise the duplicate; no other message is ever sent twice.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Iterable, Sequence

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..campaigns.ledger import Ledger
from ..storage.db import write_lock
from ..storage.models import NoticeMark, Notification, NotifyRun, Person, utcnow
from .render import Rendered, new_message_id

STALE = dt.timedelta(minutes=5)  # a run silent this long is over (it reports every few s)
CHUNK = 500
# Plain statements: the ORM need not look through the thousands of claims in the session.
PLAIN = {"synchronize_session": False}


def _insert(session: Session):
    return postgresql_insert if session.get_bind().dialect.name == "postgresql" \
        else sqlite_insert


def _chunks(items: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def told_before(session: Session, ledger: Ledger) -> dict[int, dict[str, set[str]]]:
    """Person → item → the points told before, for the items owed today."""
    items = sorted({o.item for owed in ledger.owed.values() for o in owed.values()})
    found: dict[int, dict[str, set[str]]] = {}
    for chunk in _chunks(items):
        rows = session.execute(select(NoticeMark.person_pk, NoticeMark.item, NoticeMark.point)
                               .where(NoticeMark.item.in_(chunk)))
        for pk, item, point in rows:
            found.setdefault(pk, {}).setdefault(item, set()).add(point)
    return found


def people_who_left(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Person)
                          .where(Person.active.is_(False))) or 0


def start_run(session: Session, today: dt.date) -> NotifyRun:
    now = utcnow()
    run = NotifyRun(today=today, host=socket.gethostname()[:200], pid=os.getpid(),
                    started_at=now, alive_at=now, counts={}, failed=0, no_email=0, left=0)
    with write_lock(session.get_bind()):
        session.add(run)
        session.commit()
    return run


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def over(run: NotifyRun, now: dt.datetime) -> bool:
    """A run that will send nothing more: finished, gone from this host, or silent."""
    if run.finished_at is not None:
        return True
    if run.host == socket.gethostname()[:200] and run.pid != os.getpid() \
            and _process_gone(run.pid):
        return True
    return now - _aware(run.alive_at) > STALE


def take_over(session: Session, run: NotifyRun) -> list[Notification]:
    """The messages claimed by runs that are over and never sent: now this run's."""
    now = utcnow()
    unsent = session.execute(select(Notification.id, Notification.run_id)
                             .where(Notification.sent_at.is_(None),
                                    Notification.failed_at.is_(None),
                                    Notification.run_id != run.id)
                             .order_by(Notification.id)).all()
    if not unsent:
        return []
    runs = {r.id: r for r in session.scalars(select(NotifyRun).where(
        NotifyRun.id.in_(sorted({run_id for _, run_id in unsent}))))}
    taken = []
    with write_lock(session.get_bind()):
        for notification_id, run_id in unsent:
            if not over(runs[run_id], now):
                continue  # another run is still sending it
            # Compare and set: of two runs taking over, one gets it.
            moved = session.execute(update(Notification)
                                    .where(Notification.id == notification_id,
                                           Notification.run_id == run_id,
                                           Notification.sent_at.is_(None))
                                    .values(run_id=run.id), execution_options=PLAIN)
            if moved.rowcount == 1:
                taken.append(notification_id)
        session.commit()
    return list(session.scalars(select(Notification).where(Notification.id.in_(taken))
                                .order_by(Notification.id))) if taken else []


def claim(session: Session, run: NotifyRun, messages: Sequence[Rendered],
          mail_from: str) -> list[Notification]:
    """Insert and commit a claim for each message (with its points), in chunks: the
    messages this run may send. A message another run claimed, or that would tell a point
    already told, is left out."""
    insert = _insert(session)
    claimed: list[int] = []
    now = utcnow()
    for chunk in _chunks(list(messages)):
        by_key = {m.draft.key: m for m in chunk}
        rows = [{"key": m.draft.key, "run_id": run.id, "person_pk": m.draft.person.pk,
                 "email": m.draft.person.email or "", "kind": m.draft.kind,
                 "subject": m.subject[:300], "items": m.draft.items,
                 "message_id": new_message_id(mail_from), "text": m.text, "html": m.html,
                 "claimed_at": now} for m in by_key.values()]
        with write_lock(session.get_bind()):
            got = dict(session.execute(
                insert(Notification).values(rows).on_conflict_do_nothing(
                    index_elements=["key"]).returning(Notification.key, Notification.id)).all())
            marks = [{"person_pk": by_key[key].draft.person.pk, "item": item, "point": point,
                      "notification_id": notification_id}
                     for key, notification_id in got.items()
                     for item, point in by_key[key].draft.marks]
            taken: set[tuple[int, str, str]] = set()
            if marks:
                taken = set(session.execute(
                    insert(NoticeMark).values(marks).on_conflict_do_nothing(
                        index_elements=["person_pk", "item", "point"])
                    .returning(NoticeMark.person_pk, NoticeMark.item, NoticeMark.point)).all())
            lost = [notification_id for key, notification_id in got.items()
                    if any((by_key[key].draft.person.pk, item, point) not in taken
                           for item, point in by_key[key].draft.marks)]
            if lost:  # another run told one of its points meanwhile: not ours to send
                session.execute(delete(NoticeMark).where(NoticeMark.notification_id.in_(lost)),
                                execution_options=PLAIN)
                session.execute(delete(Notification).where(Notification.id.in_(lost)),
                                execution_options=PLAIN)
            session.commit()
        claimed += [i for i in got.values() if i not in lost]
    found: list[Notification] = []
    for chunk in _chunks(sorted(claimed)):
        found += session.scalars(select(Notification).where(Notification.id.in_(chunk))
                                 .order_by(Notification.id))
    return found


def mark(session: Session, run: NotifyRun, notification: Notification, answer: str,
         sent: bool, alive: bool = False) -> None:
    """Record the server's answer: sent, or failed for good. Committed at once."""
    now = utcnow()
    values = {"smtp_answer": answer[:500], "text": "", "html": ""}
    values["sent_at" if sent else "failed_at"] = now
    with write_lock(session.get_bind()):
        session.execute(update(Notification).where(Notification.id == notification.id)
                        .values(**values), execution_options=PLAIN)
        if alive:
            session.execute(update(NotifyRun).where(NotifyRun.id == run.id)
                            .values(alive_at=now), execution_options=PLAIN)
        session.commit()


def finish(session: Session, run: NotifyRun, counts: dict[str, int], failed: int,
           no_email: int, left: int) -> None:
    with write_lock(session.get_bind()):
        session.execute(update(NotifyRun).where(NotifyRun.id == run.id).values(
            finished_at=utcnow(), counts=counts, failed=failed, no_email=no_email, left=left),
            execution_options=PLAIN)
        session.commit()


def unsent_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Notification).where(
        and_(Notification.sent_at.is_(None), Notification.failed_at.is_(None)))) or 0

