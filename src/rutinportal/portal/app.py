"""The portal application: FastAPI wiring of settings, database, API, pages and the site.

CSRF protection is a dependency of the whole application (`access.csrf.guard`), so a new
route cannot forget it; every error becomes an answer in one place (`web.errors`).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from fastapi import Depends, FastAPI
from sqlalchemy.orm import Session, sessionmaker
from starlette.middleware.sessions import SessionMiddleware

from .access import csrf, oidc
from .dashboard import routes as dashboard
from .decisions import routes as decisions
from .published import Published, load_published
from .settings import Settings
from .storage.db import make_engine, session_factory
from .storage.migrate import upgrade
from .web import api, errors, pages, static


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


def create_app(settings: Settings, *, migrate: bool = True) -> FastAPI:
    engine = make_engine(settings.database)
    if migrate:
        upgrade(engine)
    portal = Portal(settings, load_published(settings.root, settings.site_dir),
                    session_factory(engine))
    app = FastAPI(title="Rutinportalen", version="1", docs_url="/api/docs", redoc_url=None,
                  openapi_url="/api/openapi.json",
                  description="Kvittenser och kunskapstest för Rutinportalen.",
                  dependencies=[Depends(csrf.guard)])
    app.state.portal = portal
    app.state.engine = engine
    errors.install(app)
    app.include_router(api.router)
    if settings.auth == "oidc":
        app.include_router(oidc.router)
    app.include_router(pages.router)
    app.include_router(dashboard.router)
    app.include_router(decisions.router)
    app.include_router(static.router)
    app.add_middleware(csrf.CSRFCookieMiddleware, secure=settings.secure_cookies)
    app.add_middleware(SessionMiddleware, secret_key=settings.secret_key,
                       session_cookie="rp_session", same_site="lax",
                       https_only=settings.secure_cookies, max_age=12 * 3600)
    return app
