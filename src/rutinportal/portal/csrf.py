"""CSRF protection for every state-changing request (double-submit token plus Origin check).

Every response sets a random `rp_csrf` cookie if the browser has none. A POST must send the
same value in the `X-CSRF-Token` header (the site's script does) or in the form field
`csrf_token` (server-rendered forms). A request whose Origin is another site is refused even
with a token. Session cookies are SameSite=Lax besides.
"""

from __future__ import annotations

import hmac
import secrets

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import Forbidden

COOKIE = "rp_csrf"
HEADER = "x-csrf-token"
FORM_FIELD = "csrf_token"
SAFE = {"GET", "HEAD", "OPTIONS", "TRACE"}


def same_origin(scope: Scope, origin: str) -> bool:
    headers = dict(scope["headers"])
    host = headers.get(b"host", b"").decode("latin-1")
    return origin.split("://", 1)[-1].rstrip("/") == host


def check(method: str, headers, cookie_token: str | None, sent_token: str | None,
          scope: Scope) -> None:
    if method in SAFE:
        return
    origin = headers.get("origin")
    if origin and origin != "null" and not same_origin(scope, origin):
        raise Forbidden("Begäran kom från en annan webbplats och har stoppats (CSRF-skydd). "
                        "Ingenting har registrerats.")
    if not cookie_token or not sent_token or not hmac.compare_digest(cookie_token, sent_token):
        raise Forbidden("Begäran saknar giltig säkerhetstoken (CSRF-skydd). Ladda om sidan och "
                        "försök igen. Ingenting har registrerats.")


class CSRFCookieMiddleware:
    """Give every browser a CSRF token cookie; the routes check it (see `check`)."""

    def __init__(self, app: ASGIApp, secure: bool = False):
        self.app = app
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = scope_cookies(scope)
        token = cookies.get(COOKIE)
        new_token = None if token else secrets.token_urlsafe(32)
        if new_token:
            scope.setdefault("state", {})["csrf_token"] = new_token

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and new_token:
                headers = MutableHeaders(scope=message)
                flags = "; Secure" if self.secure else ""
                headers.append("set-cookie",
                               f"{COOKIE}={new_token}; Path=/; SameSite=Strict{flags}")
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def scope_cookies(scope: Scope) -> dict[str, str]:
    from http.cookies import SimpleCookie

    raw = dict(scope["headers"]).get(b"cookie", b"").decode("latin-1")
    jar = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:
        return {}
    return {key: morsel.value for key, morsel in jar.items()}


def token_for(request) -> str:
    """The token a server-rendered form must carry (the cookie's, or the one being set)."""
    return request.cookies.get(COOKIE) or request.scope.get("state", {}).get("csrf_token", "")
