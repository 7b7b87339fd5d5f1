"""The access log: one JSON line per request, written when the answer has been sent.

    {"time": "2026-11-30T08:15:02.113+00:00", "method": "POST",
     "path": "/api/acknowledgements", "status": 201, "duration_ms": 12.4,
     "person_id": "anna.lind"}

`person_id` is the person the request was answered for (set by `access.auth` when it
identifies someone), null otherwise. Never logged: IP addresses (the README promises that
none are stored; uvicorn's own access log, which has them, is switched off) and query strings
(a sign-in callback's carries a code). Every answer is logged, also those the body limit
or the error handler gives (the middleware is the outermost one); a streamed answer passes
through chunk by chunk and is logged after its last chunk.

The lines go to the logger `rutinportal.access`, written to standard output, or to the file
`RUTINPORTAL_LOG_FILE` (created 0600: person ids are personal data; reopened when logrotate
moves it).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import logging.handlers
import os
import sys
import time
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ...errors import UserError
from ..access.auth import SIGNED_IN

LOGGER = "rutinportal.access"
LONGEST_PATH = 1000  # characters: a line stays a line whatever a client sends
STDOUT = "standardutmatningen (stdout)"


class AccessLog:
    """ASGI middleware: times each HTTP request and logs it as one JSON line."""

    def __init__(self, app: ASGIApp, logger: logging.Logger | None = None):
        self.app = app
        self.logger = logger or logging.getLogger(LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the server answers when the application fails before answering

        async def noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting_status)
        finally:
            self.logger.info(line(scope, status, time.perf_counter() - started))


def line(scope: Scope, status: int, seconds: float) -> str:
    return json.dumps({
        "time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds"),
        "method": scope.get("method", ""),
        "path": scope.get("path", "")[:LONGEST_PATH],
        "status": status,
        "duration_ms": round(seconds * 1000, 1),
        "person_id": (scope.get("state") or {}).get(SIGNED_IN),
    }, ensure_ascii=False)


class StandardOutput(logging.StreamHandler):
    """Writes to whatever `sys.stdout` is at the moment of writing (a server or a test runner
    may replace it after the handler was made)."""

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    @property
    def stream(self):  # type: ignore[override]
        return sys.stdout

    @stream.setter
    def stream(self, _value) -> None:
        pass


def _file_handler(path: Path) -> logging.Handler:
    if not path.parent.is_dir():
        raise UserError(f"RUTINPORTAL_LOG_FILE: mappen {path.parent} finns inte")
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        return logging.handlers.WatchedFileHandler(path, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"RUTINPORTAL_LOG_FILE: {path} kan inte skrivas ({exc.strerror})") \
            from None


def configure(log_file: str = "") -> str:
    """Send the access log to `log_file` (or standard output); where it goes, in words."""
    logger = logging.getLogger(LOGGER)
    handler = _file_handler(Path(log_file)) if log_file else StandardOutput()
    handler.setFormatter(logging.Formatter("%(message)s"))
    for old in logger.handlers[:]:
        logger.removeHandler(old)
        old.close()
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    # uvicorn's access log names the client's address: never written.
    logging.getLogger("uvicorn.access").disabled = True
    return where(log_file)


def where(log_file: str = "") -> str:
    return log_file or STDOUT
