"""A limit on request bodies, enforced before anything reads or parses them.

A body larger than the limit (`RUTINPORTAL_MAX_BODY_KB`, default 64 kB; the API's largest
honest body, a quiz's answers, is a few kB) is answered with 413 and never read: by its
`Content-Length` at once, or, sent in chunks, as soon as it passes the limit. So an anonymous
client cannot make the portal read and parse megabytes before it says 401.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import respond

TOO_LARGE = ("Begäran är för stor (mer än {kb} kB) och har inte lästs. Ingenting har "
             "registrerats.")
BAD_LENGTH = "Begäran har en ogiltig Content-Length och har inte lästs."


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def _refuse(self, scope: Scope, send: Send, status: int, message: str) -> None:
        response = respond(Request(scope), status, message)
        await response(scope, self._no_body, send)

    @staticmethod
    async def _no_body() -> Message:
        return {"type": "http.disconnect"}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = TOO_LARGE.format(kb=self.max_bytes // 1024)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None:
            if not length.isdigit():
                await self._refuse(scope, send, 400, BAD_LENGTH)
                return
            if int(length) > self.max_bytes:
                await self._refuse(scope, send, 413, too_large)
                return
        # Read the body here, up to the limit, and hand the application what was read.
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                await self._refuse(scope, send, 413, too_large)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)
