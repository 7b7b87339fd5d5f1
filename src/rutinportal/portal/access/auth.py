"""Who is asking: dev sessions, the intranet SSO header, or OIDC sessions.

Identity only: what a person may see is decided in `policy`. Sessions are signed cookies
(Starlette's SessionMiddleware, itsdangerous), HttpOnly and SameSite=Lax.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import Forbidden, NotSignedIn
from ..settings import Settings
from ..storage.models import Person

SESSION_KEY = "person_id"


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


def claimed_person_id(settings: Settings, request: Request) -> str | None:
    """The person id this request claims, before looking it up in the roster."""
    if settings.auth == "header":
        value = request.headers.get(settings.user_header)
        if value is None:
            return None
        if not client_is_trusted(settings, request):
            raise NotSignedIn(f"Rubriken {settings.user_header} godtas bara från intranätets "
                              "inloggningsproxy. Logga in via intranätet.")
        return value.strip() or None
    return request.session.get(SESSION_KEY)


def find_person(session: Session, person_id: str) -> Person | None:
    return session.scalars(select(Person).where(Person.person_id == person_id)).first()


def current_person(settings: Settings, request: Request, session: Session,
                   required: bool = True) -> Person | None:
    person_id = claimed_person_id(settings, request)
    if person_id is None:
        if required:
            raise NotSignedIn("Du är inte inloggad. Logga in för att kvittera rutiner och göra "
                              "kunskapstest.")
        return None
    person = find_person(session, person_id)
    if person is None or not person.active:
        if settings.auth != "header":
            request.session.pop(SESSION_KEY, None)
        raise Forbidden(f"Du är inloggad som '{person_id}', men finns inte bland de aktiva "
                        "medarbetarna i Rutinportalens personallista. Kontakta din chef eller "
                        "informationssäkerhetssamordnaren, så läggs du till vid nästa import.")
    return person


def safe_next(value: str | None) -> str:
    """Only local paths: never redirect a person to another site after signing in."""
    if not value:
        return "/min-sida/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        return "/min-sida/"
    return value


def sign_in(request: Request, person: Person) -> None:
    request.session.clear()  # a new session on sign-in: no fixation
    request.session[SESSION_KEY] = person.person_id


def sign_out(request: Request) -> None:
    request.session.clear()
