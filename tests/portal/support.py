"""Helpers for portal tests: the demo roster and signed-in clients."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from rutinportal.portal.app import create_app
from rutinportal.portal.storage.db import make_engine, session_factory
from rutinportal.portal.storage.migrate import upgrade
from rutinportal.portal.people.roster import import_roster
from rutinportal.portal.settings import load_settings
from rutinportal.content.organisation import load_organisation

from ..conftest import REPO


def import_demo_roster(root: Path, url: str, roster: Path | None = None) -> None:
    engine = make_engine(url)
    upgrade(engine)
    organisation, _ = load_organisation(root)
    with session_factory(engine)() as session:
        import_roster(session, roster or REPO / "demo/personal.csv", organisation)
    engine.dispose()


def make_client(root: Path, site: Path, url: str, **options) -> TestClient:
    settings = load_settings(root, database=url, site_dir=site, secret_key="test-secret",
                             **options)
    return TestClient(create_app(settings), follow_redirects=False)


def csrf(client: TestClient) -> str:
    if "rp_csrf" not in client.cookies:
        client.get("/api/openapi.json")
    return client.cookies["rp_csrf"]


def sign_in(client: TestClient, person_id: str) -> None:
    response = client.post("/login", data={"person_id": person_id, "csrf_token": csrf(client),
                                           "next": "/min-sida/"})
    assert response.status_code == 303, response.text


def post(client: TestClient, path: str, payload: dict, **headers):
    return client.post(path, json=payload, headers={"X-CSRF-Token": csrf(client), **headers})


def visible_text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
