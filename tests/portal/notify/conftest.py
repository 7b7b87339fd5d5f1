"""A real SMTP server for the notify tests: aiosmtpd, started by the test on a free port,
keeping every message it accepts. It can hold back after a number of messages (a message it
holds is never accepted), so that a test can kill `rutinportal notify` mid-run."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import email.policy
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from rutinportal.content.organisation import load_organisation
from rutinportal.portal.people.roster import import_roster
from rutinportal.portal.storage.db import make_engine, session_factory
from rutinportal.portal.storage.migrate import upgrade
from rutinportal.testing.server import free_port

@dataclass
class Inbox:
    """What the server accepted, in order; `hold_after`: accept no more than that many."""

    messages: list[EmailMessage] = field(default_factory=list)
    hold_after: int | None = None
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.hold_after is not None and len(self.messages) >= self.hold_after:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Försök igen senare"
        self.messages.append(email.message_from_bytes(envelope.content,
                                                      policy=email.policy.default))
        return "250 2.0.0 Ok: queued"

    def since(self, count: int) -> list[EmailMessage]:
        return self.messages[count:]


@dataclass
class SmtpServer:
    host: str
    port: int
    inbox: Inbox

    def env(self, **extra: str) -> dict[str, str]:
        return {"RUTINPORTAL_SMTP_HOST": self.host, "RUTINPORTAL_SMTP_PORT": str(self.port),
                "RUTINPORTAL_SMTP_TLS": "none",
                "RUTINPORTAL_MAIL_FROM": "Rutinportalen <rutiner@kommun.example>",
                "RUTINPORTAL_PUBLIC_URL": "https://rutiner.kommun.example", **extra}


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", port, inbox)
    finally:
        inbox.release.set()
        controller.stop()


def import_on(root: Path, url: str, path: Path, day: dt.date) -> None:
    engine = make_engine(url)
    upgrade(engine)
    organisation, _ = load_organisation(root)
    with session_factory(engine)() as session:
        import_roster(session, path, organisation, today=day)
    engine.dispose()
