"""The portal application: FastAPI wiring of settings, database, API, pages and the site.

CSRF protection is a dependency of the whole application (`access.csrf.guard`), so a new
route cannot forget it; every error becomes an answer in one place (`web.errors`); every
response carries the security headers (`web.headers`), and no request body larger than the
limit is read (`web.limits`); every request is logged as one JSON line
(`operations.access_log`).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from fastapi import Depends, FastAPI
from sqlalchemy.orm import Session, sessionmaker
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware

from .access import csrf, oidc
from .dashboard import person as person_follow_up
from .dashboard import routes as dashboard
from .decisions import routes as decisions
from .evidence import routes as evidence
from .meetings import routes as meetings
from .live_site import LiveSite, Site
from .operations import access_log
from .operations import routes as operations
from .published import Published
from .receipts import acknowledgements
from .settings import Settings
from .storage.db import make_engine, session_factory
from .storage.migrate import upgrade
from .web import api, errors, headers, limits, pages, quiz_api, static


@dataclass
class Portal:
    """Everything a request needs; stateless apart from the database and the built site."""

    settings: Settings
    live: LiveSite
    sessions: sessionmaker[Session]
    acknowledgements: acknowledgements.Writer  # one writer per process (group commit)

    @property
    def site(self) -> Site:
        """The current build (switched to a new one within a second of its publication)."""
        return self.live.current()

    @property
    def published(self) -> Published:
        return self.site.published

    @contextmanager
    def session(self):
        with self.sessions() as session:
            yield session


def create_app(settings: Settings, *, migrate: bool = True) -> FastAPI:
    engine = make_engine(settings.database)
    if migrate:
        upgrade(engine)
    portal = Portal(settings, LiveSite(settings.root, settings.site_dir),
                    session_factory(engine), acknowledgements.writer(engine))
    # No /api/docs: Swagger UI would load its scripts from a CDN. The OpenAPI description
    # stays at /api/openapi.json for any local viewer.
    app = FastAPI(title="Rutinportalen", version="1", docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json",
                  description="Kvittenser och kunskapstest för Rutinportalen.",
                  dependencies=[Depends(csrf.guard)])
    app.state.portal = portal
    app.state.engine = engine
    errors.install(app)
    app.include_router(api.router)
    app.include_router(operations.router)
    app.include_router(quiz_api.router)
    if settings.auth == "oidc":
        app.include_router(oidc.router)
    app.include_router(pages.router)
    app.include_router(dashboard.router)
    app.include_router(person_follow_up.router)
    app.include_router(meetings.router)
    app.include_router(decisions.router)
    app.include_router(evidence.router)
    app.include_router(static.router)
    # The last added runs first: headers on every answer, the body limit before anything.
    app.add_middleware(csrf.CSRFCookieMiddleware, secure=settings.secure_cookies)
    app.add_middleware(SessionMiddleware, secret_key=settings.secret_key,
                       session_cookie="rp_session", same_site="lax",
                       https_only=settings.secure_cookies,
                       max_age=settings.session_idle_minutes * 60)
    app.add_middleware(limits.BodyLimit, max_bytes=settings.max_body_kb * 1024)
    # Pages made per request; a file the build compressed already passes untouched.
    app.add_middleware(GZipMiddleware, minimum_size=500, compresslevel=6)
    app.add_middleware(headers.SecurityHeaders)
    # Outermost: every answer is logged, the body limit's 413 and the error handler's too.
    app.add_middleware(access_log.AccessLog)
    access_log.configure(settings.log_file)
    return app
