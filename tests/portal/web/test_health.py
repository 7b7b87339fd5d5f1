"""`GET /api/health`: answers without signing in and without touching the database."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from rutinportal.portal.app import create_app
from rutinportal.portal.settings import load_settings

# Nothing listens on port 1: any use of the database would fail the request.
UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/none"


def test_health_answers_without_the_database(empty_repo: Path) -> None:
    site = empty_repo / "site"
    site.mkdir()
    (site / "catalog.json").write_text(json.dumps({"documents": [], "quizzes": []}),
                                       encoding="utf-8")
    settings = load_settings(empty_repo, database=UNREACHABLE, site_dir=site,
                             secret_key="test-secret", auth="dev")
    with TestClient(create_app(settings, migrate=False)) as client:
        response = client.get("/api/health")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}
        schema = client.get("/api/openapi.json").json()
        assert "get" in schema["paths"]["/api/health"]
