"""The portal application: FastAPI wiring of settings, database, API, pages and the site."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from fastapi import FastAPI, Request
from sqlalchemy.orm import Session, sessionmaker
from starlette.middleware.sessions import SessionMiddleware

from . import api, auth, csrf, dashboard, errors, oidc, shell, site_files, views
from .db import make_engine, session_factory
from .migrate import upgrade
from .published import Published, load_published
from .settings import Settings

BODY_TAG = "<body"


@dataclass
class Portal:
    """Everything a request needs; stateless apart from what the database holds."""

    settings: Settings
    published: Published
    sessions: sessionmaker[Session]

    @contextmanager
    def session(self):
        with self.sessions() as session:
            yield session

    def decorate(self, request: Request, html: str) -> str:
        """In dev mode, every page says so loudly, with who is signed in."""
        if self.settings.auth != "dev":
            return html
        person = None
        person_id = request.session.get(auth.SESSION_KEY) if "session" in request.scope \
            else None
        if person_id:
            with self.session() as session:
                person = auth.find_person(session, person_id)
        banner = shell.render("banner.html.j2", person=person)
        start = html.find(BODY_TAG)
        if start < 0:
            return str(banner) + html
        end = html.find(">", start) + 1
        return html[:end] + str(banner) + html[end:]


def create_app(settings: Settings, *, migrate: bool = True) -> FastAPI:
    engine = make_engine(settings.database)
    if migrate:
        upgrade(engine)
    portal = Portal(settings, load_published(settings.root, settings.site_dir),
                    session_factory(engine))
    app = FastAPI(title="Rutinportalen", version="1", docs_url="/api/docs", redoc_url=None,
                  openapi_url="/api/openapi.json",
                  description="Kvittenser och kunskapstest för Rutinportalen.")
    app.state.portal = portal
    app.state.engine = engine
    errors.install(app)
    app.include_router(api.router)
    if settings.auth == "oidc":
        app.include_router(oidc.router)
    app.include_router(views.router)
    app.include_router(dashboard.router)
    app.include_router(site_files.router)
    app.add_middleware(csrf.CSRFCookieMiddleware, secure=settings.secure_cookies)
    app.add_middleware(SessionMiddleware, secret_key=settings.secret_key,
                       session_cookie="rp_session", same_site="lax",
                       https_only=settings.secure_cookies, max_age=12 * 3600)
    return app
