"""CSRF protection for every state-changing request: `guard`, a dependency of the whole app.

A browser always says where a request comes from (`Origin`, `Sec-Fetch-Site`, `Referer`), and
the session cookie is SameSite=Lax. A state-changing request is refused when any of those
headers names another site, and when it carries a CSRF token that does not match the
`rp_csrf` cookie (double submit). The site's script and the server-rendered forms always send
the token (`X-CSRF-Token` header or `csrf_token` form field). A client that is not a browser
(no such headers at all, e.g. a script with its own session) cannot be driven by another site,
so it may omit the token.

Where the request comes from is compared with the portal's own origin: `RUTINPORTAL_PUBLIC_URL`
(scheme and host) when it is set — behind a proxy the `Host` header is whatever the proxy
sends — and otherwise the request's `Host`.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ...errors import Forbidden

COOKIE = "rp_csrf"
HEADER = "x-csrf-token"
FORM_FIELD = "csrf_token"
SAFE = {"GET", "HEAD", "OPTIONS", "TRACE"}
FOREIGN = ("Begäran kom från en annan webbplats och har stoppats (CSRF-skydd). "
           "Ingenting har registrerats.")
BAD_TOKEN = ("Begäran saknar giltig säkerhetstoken (CSRF-skydd). Ladda om sidan och försök "
             "igen. Ingenting har registrerats.")


def _host(scope: Scope) -> str:
    return dict(scope["headers"]).get(b"host", b"").decode("latin-1").lower()


def same_origin(scope: Scope, url: str, public_url: str = "") -> bool:
    """`url` is on this portal: the public URL's scheme and host if set, else the `Host`."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if public_url:
        public = urlsplit(public_url)
        return (parts.scheme.lower(), parts.netloc.lower()) == \
            (public.scheme.lower(), public.netloc.lower())
    return parts.netloc.lower() == _host(scope)


def check(method: str, headers, cookie_token: str | None, sent_token: str | None,
          scope: Scope, public_url: str = "") -> None:
    """Raise `Forbidden` unless the request provably comes from this site (or no browser)."""
    if method in SAFE:
        return
    origin = headers.get("origin")
    fetch_site = headers.get("sec-fetch-site")
    referer = headers.get("referer")
    if origin and (origin == "null" or not same_origin(scope, origin, public_url)):
        raise Forbidden(FOREIGN)
    if fetch_site and fetch_site not in ("same-origin", "none"):
        raise Forbidden(FOREIGN)
    if referer and not same_origin(scope, referer, public_url):
        raise Forbidden(FOREIGN)
    from_browser = bool(origin or fetch_site or referer)
    if sent_token or (from_browser and not origin):
        # A token that is sent must match; a browser request without Origin must send one.
        if not cookie_token or not sent_token or \
                not hmac.compare_digest(cookie_token, sent_token):
            raise Forbidden(BAD_TOKEN)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


async def guard(request: Request) -> None:
    """The app's dependency: every route runs it, so no state-changing route can forget it.

    The token comes from the `X-CSRF-Token` header, or from a form's `csrf_token` field.
    """
    if request.method in SAFE:
        return
    sent = request.headers.get(HEADER)
    content_type = request.headers.get("content-type", "")
    if sent is None and content_type.startswith(FORM_TYPES):
        form = await request.form()  # cached on the request: the route reads it again
        value = form.get(FORM_FIELD)
        sent = value if isinstance(value, str) else None
    check(request.method, request.headers, request.cookies.get(COOKIE), sent, request.scope,
          request.app.state.portal.settings.public_url)


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
