"""Sign-in with OpenID Connect (`--auth oidc`, e.g. Entra ID), through authlib.

Authorization code flow with PKCE (S256); authlib keeps state, nonce and the code verifier in
the signed session cookie and validates the ID token (signature, issuer, audience, expiry,
nonce). The person is the roster person whose id (or, for an e-mail-like value, e-mail) equals
the claim `settings.oidc_claim`, compared case-insensitively. Anyone else gets the same 403 as
any request whose identity is not an active roster person.
"""

from __future__ import annotations

import logging

import httpx
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError
from authlib.integrations.starlette_client import OAuth
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse
from joserfc.errors import JoseError
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from ...errors import Forbidden, UserError
from ..settings import Settings
from ..storage.models import Person
from . import auth
from .auth import safe_next

log = logging.getLogger("rutinportal.portal")

try:  # authlib talks to the provider with httpx2 when it is installed, else with httpx
    import httpx2

    HTTP_ERRORS: tuple[type[Exception], ...] = (httpx.HTTPError, httpx2.HTTPError)
except ImportError:  # pragma: no cover - depends on what is installed
    HTTP_ERRORS = (httpx.HTTPError,)

router = APIRouter(include_in_schema=False)

SCOPE = "openid profile email"
CALLBACK_PATH = "/login/oidc/callback"
NEXT_KEY = "oidc_next"  # where to go after signing in, kept in the session meanwhile

STATE_REFUSED = ("Inloggningen kunde inte slutföras: svaret från inloggningstjänsten hör inte "
                 "till någon inloggning som startades här (ogiltigt state). Det händer om "
                 "inloggningen tog för lång tid eller startades i en annan flik. Börja om "
                 "från inloggningssidan.")
PROVIDER_REFUSED = ("Inloggningen avbröts eller godkändes inte av inloggningstjänsten ({error}). "
                    "Försök igen från inloggningssidan; kvarstår felet, kontakta IT-support.")
PROVIDER_UNREACHABLE = ("Inloggningstjänsten går inte att nå eller svarar med ett fel just nu, "
                        "så du kan inte logga in. Försök igen om en stund; kvarstår felet, "
                        "kontakta IT-support.")
CLAIM_MISSING = ("Inloggningstjänsten skickade inte uppgiften '{claim}' som Rutinportalen "
                 "känner igen dig med. Kontakta IT-support (inställningen "
                 "RUTINPORTAL_OIDC_CLAIM).")


def make_client(settings: Settings):
    """The authlib client; the provider's metadata and keys are fetched on first use."""
    oauth = OAuth()
    client_kwargs = {"scope": SCOPE, "code_challenge_method": "S256"}
    if not settings.oidc_client_secret:
        client_kwargs["token_endpoint_auth_method"] = "none"  # a public client: PKCE only
    return oauth.register(
        "rutinportal",
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret or None,
        server_metadata_url=settings.oidc_issuer.rstrip("/")
        + "/.well-known/openid-configuration",
        client_kwargs=client_kwargs)


def provider(app: FastAPI):
    client = getattr(app.state, "oidc_client", None)
    if client is None:
        client = app.state.oidc_client = make_client(app.state.portal.settings)
    return client


def callback_url(request: Request) -> str:
    base = request.app.state.portal.settings.public_url
    return base + CALLBACK_PATH if base else str(request.url_for("oidc_callback"))


def match_person(session: Session, value: str) -> Person | None:
    """The one active roster person the claim names, by person id or else by e-mail."""
    exact = auth.find_person(session, value)
    if exact is not None and exact.active:
        return exact
    wanted = func.lower(value)
    candidates = session.scalars(select(Person)
                                 .where(func.lower(Person.person_id) == wanted)).all()
    if not candidates and "@" in value:
        candidates = session.scalars(select(Person)
                                     .where(func.lower(Person.email) == wanted)).all()
    active = [person for person in candidates if person.active]
    if len(active) > 1:
        log.warning("OIDC claim %r matches %d active people; refusing", value, len(active))
    return active[0] if len(active) == 1 else None


def sign_in_claimed(request: Request, value: str) -> None:
    """Sign in the roster person `value` names, or refuse as `auth.current_person` does."""
    portal = request.app.state.portal
    with portal.session() as session:
        person = match_person(session, value)
        if person is None:
            # Not an active roster person: the same 403 (and message) as on every request.
            request.session.clear()
            raise auth.not_on_roster(value)
        auth.sign_in(portal.settings, request, session, person)


@router.get("/login/oidc")
@router.get("/login/oidc/")
async def login(request: Request, next: str | None = None):
    request.session[NEXT_KEY] = safe_next(next)
    try:
        return await provider(request.app).authorize_redirect(request, callback_url(request))
    except HTTP_ERRORS as exc:
        log.warning("OIDC provider unreachable: %s", exc)
        raise UserError(PROVIDER_UNREACHABLE, 502) from None


@router.get(CALLBACK_PATH, name="oidc_callback")
async def callback(request: Request):
    settings = request.app.state.portal.settings
    client = provider(request.app)
    try:
        token = await client.authorize_access_token(request)
        claims = dict(token.get("userinfo") or {})
        if not claims:
            raise UserError(PROVIDER_REFUSED.format(error="inget ID-token"))
        if not claims.get(settings.oidc_claim):  # some providers put it in userinfo only
            extra = await client.userinfo(token=token)
            if extra.get("sub") == claims.get("sub"):  # OIDC Core 5.3.2: the same person
                claims[settings.oidc_claim] = extra.get(settings.oidc_claim)
    except MismatchingStateError:
        raise UserError(STATE_REFUSED) from None
    except (AuthlibBaseError, JoseError) as exc:
        log.warning("OIDC sign-in refused: %r", exc)
        error = getattr(exc, "error", None) or type(exc).__name__
        raise UserError(PROVIDER_REFUSED.format(error=error)) from None
    except HTTP_ERRORS as exc:
        log.warning("OIDC provider unreachable: %s", exc)
        raise UserError(PROVIDER_UNREACHABLE, 502) from None
    value = str(claims.get(settings.oidc_claim) or "").strip()
    if not value:
        raise Forbidden(CLAIM_MISSING.format(claim=settings.oidc_claim))
    next_url = safe_next(request.session.get(NEXT_KEY))
    await run_in_threadpool(sign_in_claimed, request, value)
    return auth.forget_in_browser(RedirectResponse(next_url, status_code=303))
