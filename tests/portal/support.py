"""Helpers for portal tests: the demo roster and signed-in clients."""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient

from rutinportal.portal.app import create_app
from rutinportal.portal.storage.db import make_engine, session_factory
from rutinportal.portal.storage.migrate import upgrade
from rutinportal.portal.people.roster import import_roster
from rutinportal.portal.settings import load_settings
from rutinportal.content.organisation import load_organisation

from ..conftest import REPO


ROSTER_HEADER = ("personid", "namn", "epost", "enheter", "roller", "chef_for")


def write_roster(path: Path, rows, header=ROSTER_HEADER) -> Path:
    """A roster file as Swedish Excel saves it (UTF-8 with BOM, `;`)."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def published_version(site: Path, document_id: str) -> int:
    """The version of a document the built site publishes (its `catalog.json`): what a test
    acknowledges, instead of pinning the example content's current version."""
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    return next(d["version"] for d in catalog["documents"] if d["id"] == document_id)


def renewing_site(site: Path, target: Path, document_id: str, months: int = 12) -> Path:
    """A copy of the built site, its `catalog.json` with `renew_months: months` for
    `document_id` (what the portal reads of what is published; the portal serves no link out
    of its site). The example content has no document that expires, and a new approved
    version would change the other tests' dates."""
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    document = next(d for d in catalog["documents"] if d["id"] == document_id)
    document["renew_months"] = months
    shutil.copytree(site, target, ignore=shutil.ignore_patterns("catalog.json*"),
                    dirs_exist_ok=True)
    (target / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False),
                                         encoding="utf-8")
    return target


def import_demo_roster(root: Path, url: str, roster: Path | None = None) -> None:
    engine = make_engine(url)
    upgrade(engine)
    organisation, _ = load_organisation(root)
    with session_factory(engine)() as session:
        import_roster(session, roster or REPO / "demo/personal.csv", organisation)
    engine.dispose()


def make_client(root: Path, site: Path, url: str, **options) -> TestClient:
    """A client of a portal in demo mode (`auth="dev"`) unless `auth=` says otherwise."""
    options.setdefault("auth", "dev")
    settings = load_settings(root, database=url, site_dir=site, secret_key="test-secret",
                             **options)
    return TestClient(create_app(settings), follow_redirects=False)


@contextmanager
def clients_of(root: Path, site: Path, url: str) -> Iterator[Callable[..., TestClient]]:
    """`make(**options)`: clients of portals on one database, closed at the end."""
    clients: list[TestClient] = []

    def make(**options) -> TestClient:
        client = make_client(root, site, url, **options)
        clients.append(client)
        return client

    try:
        yield make
    finally:
        for client in clients:
            client.app.state.engine.dispose()
            client.close()


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


def start_quiz(client: TestClient, quiz_id: str) -> dict:
    """Start an attempt as the signed-in person: the questions the portal drew."""
    response = post(client, f"/api/quizzes/{quiz_id}/attempts/start", {})
    assert response.status_code == 201, response.text
    return response.json()


def answers(client: TestClient, quiz_id: str, started: dict, right: bool = True,
            wrong: set[str] | frozenset[str] = frozenset()) -> dict[str, list[str]]:
    """Answers to the questions of a started attempt, from the key the portal grades by:
    all right (`right`) except the question ids in `wrong`, or all wrong."""
    quiz = client.app.state.portal.published.quizzes[quiz_id]
    by_id = {q.id: q for q in quiz.questions}
    chosen = {}
    for item in started["questions"]:
        question = by_id[item["id"]]
        good = right and item["id"] not in wrong
        ids = [c.id for c in question.choices if c.correct == good]
        chosen[item["id"]] = ids if good else ids[:1]
    return chosen


def take_quiz(client: TestClient, quiz_id: str, right: bool = True, **options):
    """Start an attempt and answer it: the grading response."""
    started = start_quiz(client, quiz_id)
    return post(client, f"/api/quizzes/{quiz_id}/attempts",
                {"attempt_id": started["attempt_id"],
                 "answers": answers(client, quiz_id, started, right, **options)})
