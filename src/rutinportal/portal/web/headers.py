"""Security headers on every answer the portal gives: the site's pages, portal pages, the API.

- `Content-Security-Policy`: scripts only from the site itself plus the build's own inline
  scripts by hash (`csp.json` of the build being served), nothing from any other host, no
  plugins, no `<base>` elsewhere, forms only to the portal, and never inside a frame.
- `X-Content-Type-Options: nosniff` and `Referrer-Policy: same-origin`.
- `Cache-Control: no-store` on everything personal: the API, `/min-sida/`, the dashboard and
  its exports, sign-in, and (in demo mode) any page that names the signed-in person.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PERSONAL_PREFIXES = ("/api/", "/min-sida", "/min-laslista", "/uppfoljning", "/login",
                     "/logout")
PERSONAL_FLAG = "personal"  # set in the request state by a page that shows a person


def policy(script_hashes: tuple[str, ...] | list[str]) -> str:
    scripts = " ".join(("'self'", *script_hashes))
    return "; ".join((
        "default-src 'self'",
        f"script-src {scripts}",
        # The theme and the dashboard's bars set inline styles; a style cannot run code.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ))


def personal(scope: Scope) -> bool:
    return scope.get("path", "").startswith(PERSONAL_PREFIXES) or \
        bool(scope.get("state", {}).get(PERSONAL_FLAG))


class SecurityHeaders:
    """Adds the headers to every response; the policy follows the build being served."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                live = scope["app"].state.portal.live  # the route has looked already
                headers["Content-Security-Policy"] = policy(live.last.script_hashes)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "same-origin"
                if personal(scope) and "no-store" not in headers.get("cache-control", ""):
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)
