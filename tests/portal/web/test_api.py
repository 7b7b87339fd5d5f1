"""The portal API on SQLite and PostgreSQL: acknowledgements, attempts, sessions, CSRF."""

from __future__ import annotations

import datetime as dt

from pathlib import Path

import pytest
from sqlalchemy import func, select

from rutinportal.portal.storage.models import Acknowledgement, QuizAttempt

from ..support import csrf, import_demo_roster, make_client, post, published_version, \
    sign_in, start_quiz, take_quiz, visible_text

pytestmark = pytest.mark.build


@pytest.fixture(scope="session")
def example(built_example) -> tuple[Path, Path]:
    return (built_example.root, built_example.site)


@pytest.fixture(scope="session")
def siths_ack(example) -> dict:
    """An acknowledgement of RUT-001 at the version the site publishes."""
    return {"document_id": "RUT-001", "version": published_version(example[1], "RUT-001")}


@pytest.fixture
def client(example, database_url):
    root, site = example
    import_demo_roster(root, database_url)
    with make_client(root, site, database_url) as test_client:
        yield test_client
        test_client.app.state.engine.dispose()


def count(client, model, **where) -> int:
    with client.app.state.portal.session() as session:
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return session.scalar(query)


def test_anonymous_requests_are_refused(client) -> None:
    response = client.get("/api/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "Du är inte inloggad. Logga in för att kvittera "
                                         "rutiner och göra kunskapstest."}
    response = post(client, "/api/acknowledgements", {"document_id": "RUT-001", "version": 2})
    assert response.status_code == 401
    assert count(client, Acknowledgement) == 0
    page = client.get("/min-sida/")
    assert page.status_code == 401 and "Logga in" in page.text


def test_login_lists_demo_people_and_sets_a_safe_session(client) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    assert page.text.count('name="person_id"') >= 60
    assert "DEMOLÄGE" in page.text
    refused = client.post("/login", data={"person_id": "david.berg"},
                          headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403
    response = client.post("/login", data={"person_id": "david.berg",
                                           "csrf_token": csrf(client),
                                           "next": "https://evil.example/"})
    assert response.status_code == 303 and response.headers["location"] == "/min-sida/"
    cookie = next(h for h in response.headers.get_list("set-cookie")
                  if h.startswith("rp_session="))
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    assert client.get("/api/me").json()["person"]["name"] == "David Berg"


def test_acknowledgement_is_idempotent(client, siths_ack) -> None:
    sign_in(client, "david.berg")
    first = post(client, "/api/acknowledgements", siths_ack)
    second = post(client, "/api/acknowledgements", siths_ack)
    assert first.status_code == 201 and first.json()["created"] is True
    assert second.status_code == 200 and second.json()["created"] is False
    assert count(client, Acknowledgement, document_id="RUT-001") == 1
    with client.app.state.portal.session() as session:
        record = session.scalars(select(Acknowledgement)).one()
    published = client.app.state.portal.published.documents["RUT-001"]
    assert record.sha256 == published.sha256 and record.version == siths_ack["version"]
    me = client.get("/api/me").json()
    assert [a["document_id"] for a in me["acknowledged"]] == ["RUT-001"]
    assert "RUT-001" not in [d["document_id"] for d in me["due"]["acknowledgements"]]


@pytest.mark.parametrize("payload, message", [
    ({"document_id": "RUT-004", "version": 2},
     "Version 2 av RUT-004 är inte den publicerade versionen (version 1). Ladda om sidan och "
     "läs den gällande versionen. Ingenting har registrerats."),
    ({"document_id": "RUT-008", "version": 1},
     "RUT-008 är inte publicerat och kan inte kvitteras. Ingenting har registrerats."),
    ({"document_id": "RUT-012", "version": 1},
     "RUT-012 är inte publicerat och kan inte kvitteras. Ingenting har registrerats."),
])
def test_unpublished_versions_are_refused(client, payload, message) -> None:
    sign_in(client, "david.berg")
    response = post(client, "/api/acknowledgements", payload)
    assert response.status_code == 422
    assert response.json() == {"detail": message}
    assert count(client, Acknowledgement) == 0


def test_requests_from_other_sites_are_refused(client, siths_ack) -> None:
    sign_in(client, "david.berg")
    ack = siths_ack
    foreign = client.post("/api/acknowledgements", json=ack,
                          headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 403
    assert foreign.json()["detail"] == ("Begäran kom från en annan webbplats och har stoppats "
                                        "(CSRF-skydd). Ingenting har registrerats.")
    with_token = post(client, "/api/acknowledgements", ack, Origin="https://evil.example")
    assert with_token.status_code == 403
    cross_site = client.post("/api/acknowledgements", json=ack,
                             headers={"Sec-Fetch-Site": "cross-site"})
    assert cross_site.status_code == 403
    referer = client.post("/api/quizzes/siths-kort/attempts", json={"answers": {}},
                          headers={"Referer": "https://evil.example/sida"})
    assert referer.status_code == 403
    wrong = client.post("/api/quizzes/siths-kort/attempts", json={"answers": {}},
                        headers={"X-CSRF-Token": "gissning"})
    assert wrong.status_code == 403
    assert wrong.json()["detail"].startswith("Begäran saknar giltig säkerhetstoken")
    no_token_browser = client.post("/api/acknowledgements", json=ack,
                                   headers={"Sec-Fetch-Site": "same-origin"})
    assert no_token_browser.status_code == 403
    assert count(client, Acknowledgement) == 0 and count(client, QuizAttempt) == 0
    assert client.post("/logout", data={}, headers={"Origin": "https://evil.example"}
                       ).status_code == 403
    assert client.get("/api/me").status_code == 200  # still signed in
    same_site = client.post("/api/acknowledgements", json=ack,
                            headers={"Origin": "http://testserver"})
    assert same_site.status_code == 201


def test_a_plain_client_signs_in_with_person_id(client) -> None:
    response = client.post("/login", data={"person_id": "david.berg"})
    assert response.status_code == 303
    assert client.get("/api/me").json()["person"]["person_id"] == "david.berg"
    refused = client.post("/login", data={"person_id": "finns.inte"})
    assert refused.status_code == 403


def test_quiz_attempts_are_graded_stored_and_retried(client) -> None:
    sign_in(client, "david.berg")
    failed = take_quiz(client, "siths-kort", right=False)
    assert failed.status_code == 201
    body = failed.json()
    assert body["passed"] is False and body["score"] == 0.0
    assert all(not r["correct"] and r["explanation"] for r in body["results"])
    passed = take_quiz(client, "siths-kort", right=True)
    assert passed.json()["passed"] is True and passed.json()["score"] == 1.0
    assert count(client, QuizAttempt, quiz_id="siths-kort") == 2
    me = client.get("/api/me").json()
    assert [p["quiz_id"] for p in me["passed"]] == ["siths-kort"]
    page = client.get("/min-sida/")
    assert "Kunskapstest: SITHS-kortet" in visible_text(page.text) or \
        "siths" in page.text.lower()


def test_quiz_attempt_errors_are_clear(client) -> None:
    sign_in(client, "david.berg")
    unknown = post(client, "/api/quizzes/finns-inte/attempts/start", {})
    assert unknown.status_code == 422
    assert unknown.json() == {"detail": "Kunskapstestet 'finns-inte' är inte publicerat. "
                                        "Ingenting har registrerats."}
    started = start_quiz(client, "siths-kort")
    bad = post(client, "/api/quizzes/siths-kort/attempts",
               {"attempt_id": started["attempt_id"], "answers": {"nej": ["x"]}})
    assert bad.status_code == 422 and "okänd fråga 'nej'" in bad.json()["detail"]
    assert count(client, QuizAttempt) == 0


def test_reading_list_quiz_is_graded_on_the_server(client) -> None:
    sign_in(client, "david.berg")
    quiz = client.app.state.portal.published.quizzes["laslista-hemtjanst"]
    response = take_quiz(client, "laslista-hemtjanst")
    assert response.status_code == 201 and response.json()["passed"] is True
    assert response.json()["total"] == len(quiz.questions)


def test_my_page_lists_acknowledged_passed_and_due(client, example, siths_ack) -> None:
    sign_in(client, "david.berg")
    assert post(client, "/api/acknowledgements", siths_ack).status_code == 201
    take_quiz(client, "siths-kort")
    text = visible_text(client.get("/min-sida/").text)
    assert "Inloggad som David Berg" in text
    assert "Låna aldrig ut ditt SITHS-kort : kvitterad" in text
    due = (dt.date.today() + dt.timedelta(days=30)).isoformat()  # joined the roster today
    assert f"Stäng journalen när du lämnar den RUT-004 Senast {due} · läs och kvittera" \
        in text  # still owed
    assert "klarat" in text
    assert "DEMOLÄGE" in text


def test_site_pages_are_served_with_the_demo_banner(client) -> None:
    page = client.get("/rutiner/siths-kort/")
    assert page.status_code == 200 and 'data-document-id="RUT-001"' in page.text
    assert page.text.count("rp-demo-banner") == 1
    assert client.get("/rutiner/siths-kort").status_code == 308
    assert client.get("/rutiner/sakerhetskontroll-it-inkop/").status_code == 404
    assert client.get("/../../etc/passwd").status_code == 404
    assert client.get("/catalog.json").json()["preview"] is False


def test_openapi_documents_the_api(client) -> None:
    spec = client.get("/api/openapi.json").json()
    assert {"/api/me", "/api/acknowledgements", "/api/quizzes/{quiz_id}/attempts"} <= \
        set(spec["paths"])
