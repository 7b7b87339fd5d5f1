"""Is this portal process ready for requests? What a load balancer asks at `/api/ready`.

Three checks, each answered in Swedish and none allowed to raise: the database answers a
trivial query; the build being served is loaded (its catalogue read, its `catalog.json` still
on disk, see `live_site`); the database's schema version (Alembic) is the one this code was
written for. `/api/health` (in `web.api`) only says that the process is alive.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from ..storage.migrate import head, known_revisions

log = logging.getLogger("rutinportal.portal")


@dataclass(frozen=True)
class Check:
    name: str   # database | site | schema
    ok: bool
    detail: str  # what was found, or what is wrong and what to do (Swedish)


@functools.lru_cache(maxsize=1)
def code_head() -> str:
    """The schema version of this code: it cannot change while the process runs."""
    return head()


@functools.lru_cache(maxsize=1)
def code_revisions() -> frozenset[str]:
    return frozenset(known_revisions())


def _database(portal) -> tuple[Check, str | None]:
    """The database check, and the revision it holds (read in the same connection)."""
    try:
        with portal.session() as session:
            session.execute(text("SELECT 1"))
            revision = MigrationContext.configure(session.connection()).get_current_revision()
    except Exception as exc:  # noqa: BLE001 - a check reports, it never fails the request
        log.warning("Readiness: the database does not answer: %s", exc)
        return Check("database", False, f"Databasen svarar inte ({type(exc).__name__}); "
                                        "se portalens logg."), None
    return Check("database", True, "svarar"), revision


def _schema(revision: str | None, reachable: bool) -> Check:
    expected = code_head()
    if not reachable:
        return Check("schema", False, "kunde inte läsas: databasen svarar inte")
    if revision == expected:
        return Check("schema", True, f"version {revision}")
    if revision and revision not in code_revisions():
        return Check("schema", False, f"Databasen har version {revision}, nyare än den här "
                                      f"portalens (version {expected}). Uppdatera portalen.")
    found = f"version {revision}" if revision else "inget schema"
    return Check("schema", False, f"Databasen har {found}, koden kräver version {expected}. "
                                  "Kör rutinportal db upgrade (eller starta om portalen).")


def _site(portal) -> Check:
    try:
        site = portal.site  # looks for a newer build, as any request does
        if not (site.directory / "catalog.json").is_file():
            return Check("site", False, f"Bygget {site.directory.name} finns inte längre på "
                                        "disken. Kör rutinportal build.")
        published = site.published
        return Check("site", True, f"bygget {site.directory.name}: "
                                   f"{len(published.documents)} publicerade dokument, "
                                   f"{len(published.quizzes)} kunskapstest")
    except Exception as exc:  # noqa: BLE001 - a check reports, it never fails the request
        log.warning("Readiness: the site is not loaded: %s", exc)
        return Check("site", False, f"Webbplatsen är inte inläst ({type(exc).__name__}); se "
                                    "portalens logg.")


def readiness(portal) -> list[Check]:
    database, revision = _database(portal)
    return [database, _site(portal), _schema(revision, database.ok)]
