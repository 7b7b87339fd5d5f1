"""Sign-in sessions that can end: kept on the server, bound to the auth mode and issuer.

The signed cookie (Starlette's SessionMiddleware) carries only a random token; the session
is a row in `sessions` (only the token's SHA-256 is stored). A session counts while it has
not ended, was made in the mode (and, for OIDC, by the issuer) the portal runs with now, and
was used within the idle timeout. Signing out ends it on the server, so a copy of the cookie
saved before stops working; `rutinportal person sign-out` ends every session of a person.
Header mode has no sessions: the SSO proxy names the person on every request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from fastapi import Request
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from ..settings import Settings
from ..storage.db import write_lock
from ..storage.models import Person, SignInSession, utcnow

TOKEN_KEY = "sid"  # the session token, in the signed cookie
# How often the last use is written: a write per request would cost every page view a
# database commit; a minute is nothing against an idle timeout of hours.
TOUCH_EVERY = dt.timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def aware(moment: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes; they are stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def binding(settings: Settings) -> tuple[str, str]:
    """The auth mode and issuer a session is made in, and must be used in."""
    return settings.auth, settings.oidc_issuer if settings.auth == "oidc" else ""


def idle_limit(settings: Settings) -> dt.timedelta:
    return dt.timedelta(minutes=settings.session_idle_minutes)


def start(db: Session, request: Request, settings: Settings, person: Person) -> None:
    """A new session for `person` (a new token on every sign-in: no session fixation)."""
    request.session.clear()
    token = secrets.token_urlsafe(32)
    mode, issuer = binding(settings)
    now = utcnow()
    with write_lock(db.get_bind()):
        # The person's sessions that are over are of no use to anyone: remove them now.
        db.execute(delete(SignInSession).where(
            SignInSession.person_pk == person.id,
            or_(SignInSession.ended_at.is_not(None),
                SignInSession.last_seen_at < now - idle_limit(settings))))
        db.add(SignInSession(token_sha256=_digest(token), person_pk=person.id,
                             auth_mode=mode, issuer=issuer, created_at=now,
                             last_seen_at=now))
        db.commit()
    request.session[TOKEN_KEY] = token


def has_token(request: Request) -> bool:
    return "session" in request.scope and bool(request.session.get(TOKEN_KEY))


def person_of(db: Session, request: Request, settings: Settings) -> Person | None:
    """The person of the request's session, or None (no session, or one that has ended).

    A cookie whose session has ended is cleared, so the browser stops sending it.
    """
    if not has_token(request):
        return None
    token = request.session.get(TOKEN_KEY)
    found = db.execute(select(SignInSession, Person)
                       .join(Person, Person.id == SignInSession.person_pk)
                       .where(SignInSession.token_sha256 == _digest(str(token)))).first()
    now = utcnow()
    if found is None or not _valid(found[0], settings, now):
        request.session.clear()
        return None
    record, person = found
    if now - aware(record.last_seen_at) > TOUCH_EVERY:
        with write_lock(db.get_bind()):
            db.execute(update(SignInSession).where(SignInSession.id == record.id)
                       .values(last_seen_at=now))
            db.commit()
    return person


def _valid(record: SignInSession, settings: Settings, now: dt.datetime) -> bool:
    return (record.ended_at is None
            and (record.auth_mode, record.issuer) == binding(settings)
            and now - aware(record.last_seen_at) <= idle_limit(settings))


def end(db: Session, request: Request) -> None:
    """Sign out: the session ends on the server and the cookie is emptied."""
    token = request.session.get(TOKEN_KEY) if "session" in request.scope else None
    if token:
        with write_lock(db.get_bind()):
            db.execute(update(SignInSession)
                       .where(SignInSession.token_sha256 == _digest(str(token)),
                              SignInSession.ended_at.is_(None))
                       .values(ended_at=utcnow()))
            db.commit()
    if "session" in request.scope:
        request.session.clear()


def end_all(db: Session, person: Person) -> int:
    """End every session of `person` (e.g. a lost phone); how many were still open."""
    with write_lock(db.get_bind()):
        result = db.execute(update(SignInSession)
                            .where(SignInSession.person_pk == person.id,
                                   SignInSession.ended_at.is_(None))
                            .values(ended_at=utcnow()))
        db.commit()
    return result.rowcount or 0
