"""Who is asking: dev and OIDC sessions (`sessions`), or the intranet SSO header.

Identity only: what a person may see is decided in `policy`. Session cookies are signed
(Starlette's SessionMiddleware, itsdangerous), HttpOnly and SameSite=Lax, and name a session
kept on the server, which can end.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from fastapi import Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import Forbidden, NotSignedIn
from ..settings import Settings
from ..storage.models import Person
from . import sessions

NOT_SIGNED_IN = ("Du är inte inloggad. Logga in för att kvittera rutiner och göra "
                 "kunskapstest.")
SIGNED_IN = "person_id"  # in the request state: whom the request was answered for (access log)
SESSION_ENDED = ("Din inloggning har upphört: du har loggat ut, inte använt portalen på "
                 "{hours} eller loggats ut av en administratör. Logga in igen.")


def client_is_trusted(settings: Settings, request: Request) -> bool:
    host = request.client.host if request.client else None
    if not host:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    # A server listening on :: sees an IPv4 proxy as ::ffff:10.0.0.5.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in settings.trusted_proxies)


def header_person_id(settings: Settings, request: Request) -> str | None:
    """Header mode: the person id the SSO proxy sends, before looking it up in the roster."""
    value = request.headers.get(settings.user_header)
    if value is None:
        return None
    if not client_is_trusted(settings, request):
        raise NotSignedIn(f"Rubriken {settings.user_header} godtas bara från intranätets "
                          "inloggningsproxy. Logga in via intranätet.")
    return value.strip() or None


def find_person(session: Session, person_id: str) -> Person | None:
    return session.scalars(select(Person).where(Person.person_id == person_id)).first()


def not_on_roster(person_id: str) -> Forbidden:
    return Forbidden(f"Du är inloggad som '{person_id}', men finns inte bland de aktiva "
                     "medarbetarna i Rutinportalens personallista. Kontakta din chef eller "
                     "informationssäkerhetssamordnaren, så läggs du till vid nästa import.")


def _hours(settings: Settings) -> str:
    minutes = settings.session_idle_minutes
    if minutes % 60:
        return f"{minutes} minuter"
    return "en timme" if minutes == 60 else f"{minutes // 60} timmar"


def current_person(settings: Settings, request: Request, session: Session,
                   required: bool = True) -> Person | None:
    """The signed-in, active roster person; None or an error (401/403) otherwise."""
    ended = False  # a session cookie came, but its session is over
    if settings.auth == "header":
        person_id = header_person_id(settings, request)
        person = find_person(session, person_id) if person_id is not None else None
    else:
        had_token = sessions.has_token(request)
        person = sessions.person_of(session, request, settings)
        person_id = person.person_id if person is not None else None
        ended = had_token and person is None
    if person_id is None:
        if required:
            raise NotSignedIn(SESSION_ENDED.format(hours=_hours(settings)) if ended
                              else NOT_SIGNED_IN)
        return None
    if person is None or not person.active:
        if settings.auth != "header":
            sessions.end(session, request)
        raise not_on_roster(person_id)
    setattr(request.state, SIGNED_IN, person.person_id)
    return person


def safe_next(value: str | None) -> str:
    """Only local paths: never redirect a person to another site after signing in."""
    if not value:
        return "/min-sida/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        return "/min-sida/"
    return value


def sign_in(settings: Settings, request: Request, session: Session, person: Person) -> None:
    sessions.start(session, request, settings, person)
    setattr(request.state, SIGNED_IN, person.person_id)


def sign_out(request: Request, session: Session) -> None:
    sessions.end(session, request)


def forget_in_browser(response: Response) -> Response:
    """Sign-in and sign-out: the browser drops what pages kept about the person before (the
    site's script keeps /api/me in the tab's session storage for a few minutes)."""
    response.headers["Clear-Site-Data"] = '"storage"'
    return response
