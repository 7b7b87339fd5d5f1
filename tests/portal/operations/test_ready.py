"""`GET /api/ready`: what a load balancer asks before sending requests to a process. 200 with
what was checked, or 503 with what failed, in Swedish; never a 500, no sign-in, never cached."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from rutinportal.portal.app import create_app
from rutinportal.portal.settings import load_settings
from rutinportal.portal.storage import migrate
from rutinportal.portal.storage.db import make_engine

HEAD = migrate.head()
UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/none"  # nothing listens on port 1


@pytest.fixture
def site(empty_repo: Path) -> Path:
    """A built site with nothing published (all that readiness needs of a build)."""
    folder = empty_repo / "site"
    folder.mkdir()
    (folder / "catalog.json").write_text(json.dumps({"documents": [], "quizzes": []}),
                                         encoding="utf-8")
    return folder


def client(root: Path, site: Path, url: str, **options) -> TestClient:
    settings = load_settings(root, database=url, site_dir=site, secret_key="test-secret",
                             auth=options.pop("auth", "header"),
                             trusted_proxies=("10.0.0.1",))
    return TestClient(create_app(settings, **options))


def ready(test_client: TestClient) -> tuple[int, dict]:
    response = test_client.get("/api/ready")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-type"] == "application/json"
    return response.status_code, response.json()


def test_ready_when_database_site_and_schema_are(empty_repo, site, database_url) -> None:
    with client(empty_repo, site, database_url) as test_client:
        assert ready(test_client) == (200, {"status": "redo", "checks": {
            "database": {"ok": True, "detail": "svarar"},
            "site": {"ok": True, "detail": "bygget site: 0 publicerade dokument, "
                                           "0 kunskapstest"},
            "schema": {"ok": True, "detail": f"version {HEAD}"}}})
        test_client.app.state.engine.dispose()


def test_not_ready_without_the_database(empty_repo, site) -> None:
    with client(empty_repo, site, UNREACHABLE, migrate=False) as test_client:
        assert ready(test_client) == (503, {"status": "inte redo", "checks": {
            "database": {"ok": False, "detail": "Databasen svarar inte (OperationalError); "
                                                "se portalens logg."},
            "site": {"ok": True, "detail": "bygget site: 0 publicerade dokument, "
                                           "0 kunskapstest"},
            "schema": {"ok": False, "detail": "kunde inte läsas: databasen svarar inte"}}})
        # Alive all the same: /api/health does not touch the database.
        assert test_client.get("/api/health").status_code == 200


def test_not_ready_with_an_old_schema_or_none(empty_repo, site, database_url) -> None:
    with client(empty_repo, site, database_url, migrate=False) as test_client:
        status, body = ready(test_client)
        assert status == 503
        assert body["checks"]["database"] == {"ok": True, "detail": "svarar"}
        assert body["checks"]["schema"] == {"ok": False, "detail": (
            f"Databasen har inget schema, koden kräver version {HEAD}. Kör rutinportal db "
            "upgrade (eller starta om portalen).")}
        engine = make_engine(database_url)
        migrate.upgrade(engine, "0001")
        assert ready(test_client)[1]["checks"]["schema"]["detail"].startswith(
            f"Databasen har version 0001, koden kräver version {HEAD}.")
        migrate.upgrade(engine)
        assert ready(test_client)[0] == 200
        with engine.begin() as connection:  # a newer portal has migrated the database
            connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        status, body = ready(test_client)
        assert (status, body["status"]) == (503, "inte redo")
        assert body["checks"]["schema"] == {"ok": False, "detail": (
            f"Databasen har version 9999, nyare än den här portalens (version {HEAD}). "
            "Uppdatera portalen.")}
        engine.dispose()
        test_client.app.state.engine.dispose()


def test_not_ready_when_the_build_being_served_is_gone(empty_repo, site, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    with client(empty_repo, site, url) as test_client:
        (site / "catalog.json").unlink()
        status, body = ready(test_client)
        assert status == 503 and body["status"] == "inte redo"
        assert body["checks"]["site"] == {"ok": False, "detail": (
            "Bygget site finns inte längre på disken. Kör rutinportal build.")}
        assert body["checks"]["database"]["ok"] and body["checks"]["schema"]["ok"]
        test_client.app.state.engine.dispose()


def test_ready_needs_no_sign_in_and_names_no_one(empty_repo, site, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    with client(empty_repo, site, url, auth="dev") as test_client:
        response = test_client.get("/api/ready", headers={"X-Remote-User": "anna.lind"})
        assert response.status_code == 200
        assert "anna" not in response.text
        schema = test_client.get("/api/openapi.json").json()
        assert set(schema["paths"]["/api/ready"]["get"]["responses"]) == {"200", "503"}
        test_client.app.state.engine.dispose()
