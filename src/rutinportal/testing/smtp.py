"""A real SMTP server for tests: aiosmtpd on a free port of 127.0.0.1, keeping every message it
accepts. It can hold back after a number of messages (a message it holds is never accepted), so
that a test can kill `rutinportal notify` mid-run."""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from .server import free_port


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


@contextmanager
def server() -> Iterator[SmtpServer]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", port, inbox)
    finally:
        inbox.release.set()
        controller.stop()
