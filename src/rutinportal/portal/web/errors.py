"""HTTP errors with Swedish messages, and the one place that turns exceptions into answers.

API routes (`/api/…`) answer JSON `{"detail": "…"}`; pages answer an HTML page in the site's
look. User errors carry their status; anything else is a bug: logged, answered with 500.
"""

from __future__ import annotations

import logging

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ...errors import UserError
from .shell import error_page

log = logging.getLogger("rutinportal.portal")

TITLES = {400: "Felaktig begäran", 401: "Logga in", 403: "Ingen behörighet",
          404: "Sidan finns inte", 405: "Metoden är inte tillåten", 409: "Redan gjort",
          413: "För stor begäran", 422: "Kan inte registreras", 429: "Vänta en stund",
          500: "Något gick fel"}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or \
        "application/json" in request.headers.get("accept", "")


def respond(request: Request, status: int, message: str, headers: dict[str, str] | None = None):
    if wants_json(request):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    return HTMLResponse(error_page(request, status, TITLES.get(status, "Fel"), message),
                        status_code=status, headers=headers)


def install(app) -> None:
    @app.exception_handler(UserError)
    async def user_error(request: Request, exc: UserError):
        return respond(request, exc.status_code, exc.message, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        parts = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
            parts.append(f"{where or 'innehållet'}: {error.get('msg', 'ogiltigt värde')}")
        return respond(request, 422, "Begäran kunde inte läsas: " + "; ".join(parts))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = {404: "Sidan finns inte. Den kan ha flyttats eller upphävts.",
                   405: "Metoden är inte tillåten här."}.get(exc.status_code, str(exc.detail))
        return respond(request, exc.status_code, message)

    @app.exception_handler(Exception)
    async def bug(request: Request, exc: Exception):
        log.exception("Unhandled error on %s %s", request.method, request.url.path)
        return respond(request, 500, "Något gick fel i portalen. Försök igen om en stund; "
                                     "kvarstår felet, kontakta IT-support.")
