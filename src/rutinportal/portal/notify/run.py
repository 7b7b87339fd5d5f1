"""One run of `rutinportal notify`: compose, claim, send, mark, and log the run.

The SMTP connection is opened before anything is claimed (a server that does not answer
leaves nothing claimed); then the messages of runs that died are taken over, today's are
claimed, and all are sent over that one connection, each marked sent as soon as the server
accepts it. `--dry-run` composes and prints, and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from ...approval.status import status_rows
from ...content.catalogue import Catalogue
from ..campaigns.ledger import build_ledger
from ..published import Published
from ..storage.models import Notification
from . import claims, compose, reviews
from .render import Rendered, message, render
from .settings import MailSettings
from .smtp import Mailer

ALIVE_SECONDS = 5.0


@dataclass
class RunResult:
    today: dt.date
    sent: Counter = field(default_factory=Counter)     # kind → messages accepted
    failed: int = 0                                     # refused for good
    deferred: int = 0                                   # refused for now: next run
    skipped: int = 0                                    # claimed by another run
    resent: int = 0                                     # taken over from a run that died
    no_email: int = 0                                   # people with something, no address
    left: int = 0                                       # people who left
    unmapped: int = 0                                   # owner titles nobody holds
    planned: list[Rendered] = field(default_factory=list)  # dry run: what would be sent

    def line(self, dry_run: bool = False) -> str:
        """The run's summary line, in Swedish."""
        if dry_run:
            kinds = Counter(r.draft.kind for r in self.planned)
            head = (f"Provkörning {self.today.isoformat()}: {len(self.planned)} meddelanden "
                    f"skulle skickas ({_kinds(kinds)}). Ingenting har skickats.")
        else:
            head = (f"Utskick {self.today.isoformat()}: {sum(self.sent.values())} meddelanden "
                    f"skickade ({_kinds(self.sent)})")
            if self.resent:
                head += f", varav {self.resent} från en körning som avbröts"
            head += f"; {self.failed} kunde inte levereras"
            if self.deferred:
                head += f", {self.deferred} försöks igen nästa körning"
            if self.skipped:
                head += f", {self.skipped} skickades av en annan körning"
            head += "."
        return (f"{head} Utan e-postadress (fick inget): {_people(self.no_email)} med något "
                f"att göra. Slutat (inaktiva i personallistan, får inget): "
                f"{_people(self.left)}. Informationsägare som ingen i personallistan har som "
                f"befattning (fick inget): {_titles(self.unmapped)}.")


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'personer'}"


def _titles(count: int) -> str:
    return f"{count} {'befattning' if count == 1 else 'befattningar'}"


def _kinds(counts: Counter) -> str:
    return ", ".join(f"{compose.KINDS[k]}: {counts.get(k, 0)}" for k in compose.KINDS)


def drafts(session: Session, published: Published, catalogue: Catalogue, settings: MailSettings,
           today: dt.date) -> tuple[list[compose.Draft], int]:
    """Today's messages, and how many owner titles nobody on the roster holds."""
    ledger = build_ledger(session, published, today)
    told = claims.told_before(session, ledger)
    rows = status_rows(catalogue, today)
    owners = reviews.owners_in_force(catalogue, [r.id for r in rows], today)
    due = reviews.reviews(ledger, rows, owners, published, settings)
    return (compose.staff(ledger, told, settings) + compose.managers(ledger, published, settings)
            + compose.decisions(ledger, rows, settings) + due.drafts), due.unmapped


def notify(session: Session, published: Published, catalogue: Catalogue,
           settings: MailSettings, today: dt.date, dry_run: bool = False,
           progress: Callable[[str], None] | None = None) -> RunResult:
    result = RunResult(today)
    found, result.unmapped = drafts(session, published, catalogue, settings, today)
    result.no_email = len({d.person.pk for d in found if not d.person.email})
    result.left = claims.people_who_left(session)
    rendered = [render(d) for d in found if d.person.email]
    if dry_run:
        result.planned = rendered
        return result
    settings.require_sending()
    with Mailer(settings) as mailer:
        run = claims.start_run(session, today)
        retry = claims.take_over(session, run)
        mine = claims.claim(session, run, rendered, settings.mail_from)
        result.resent = len(retry)
        result.skipped = len(rendered) - len(mine)
        last_alive = time.monotonic()
        try:
            for notification in retry + mine:
                answer = mailer.send(_mime(notification, settings), notification.email)
                alive = time.monotonic() - last_alive > ALIVE_SECONDS
                if answer.final:
                    claims.mark(session, run, notification, answer.text, answer.sent, alive)
                    if alive:
                        last_alive = time.monotonic()
                if answer.sent:
                    result.sent[notification.kind] += 1
                elif answer.final:
                    result.failed += 1
                else:
                    result.deferred += 1
                if progress is not None:
                    progress(f"{notification.email}: {answer.text}")
        finally:
            claims.finish(session, run, dict(result.sent), result.failed, result.no_email,
                          result.left)
    return result


def _mime(notification: Notification, settings: MailSettings):
    """The message as claimed (a message taken over is sent exactly as it was claimed)."""
    claimed = notification.claimed_at
    return message(notification.email, settings.mail_from, notification.subject,
                   notification.text, notification.html, notification.message_id,
                   claimed if claimed.tzinfo else claimed.replace(tzinfo=dt.timezone.utc),
                   notification.kind)
