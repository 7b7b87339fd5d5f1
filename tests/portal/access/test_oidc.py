"""OIDC sign-in end to end against a local mock provider (oidc-provider-mock), on SQLite and
PostgreSQL: the authorization code flow with PKCE, matching the claim to the roster, and the
refusals (unknown or inactive person, tampered state, denied at the provider)."""

from __future__ import annotations

import html
import logging
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import httpx
import pytest
from sqlalchemy import update

from rutinportal.portal.storage.models import Person
from rutinportal.testing.server import free_port

from ..support import import_demo_roster, make_client, visible_text

with warnings.catch_warnings():
    # The mock provider imports authlib.jose, which authlib itself marks as deprecated.
    warnings.simplefilter("ignore", DeprecationWarning)
    import oidc_provider_mock

pytestmark = [
    pytest.mark.build,
    # The mock provider (in its own thread) uses an authlib server API that is deprecated.
    pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning"),
]

NOT_ON_ROSTER = ("Du är inloggad som '{}', men finns inte bland de aktiva medarbetarna i "
                 "Rutinportalens personallista. Kontakta din chef eller "
                 "informationssäkerhetssamordnaren, så läggs du till vid nästa import.")
STATE_REFUSED = ("Inloggningen kunde inte slutföras: svaret från inloggningstjänsten hör inte "
                 "till någon inloggning som startades här (ogiltigt state). Det händer om "
                 "inloggningen tog för lång tid eller startades i en annan flik. Börja om "
                 "från inloggningssidan.")


@pytest.fixture(scope="session")
def example(built_example) -> tuple[Path, Path]:
    return (built_example.root, built_example.site)


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    """The mock provider on a background thread; it accepts any client id and secret."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    with oidc_provider_mock.run_server_in_thread() as server:
        host, port = server.server_address[:2]
        assert host == "127.0.0.1"
        yield f"http://{host}:{port}"


@pytest.fixture
def client(example, database_url, issuer, monkeypatch):
    root, site = example
    import_demo_roster(root, database_url)
    monkeypatch.setenv("RUTINPORTAL_OIDC_ISSUER", issuer)
    monkeypatch.setenv("RUTINPORTAL_OIDC_CLIENT_ID", "rutinportalen")
    monkeypatch.setenv("RUTINPORTAL_OIDC_CLIENT_SECRET", "hemligt")
    with make_client(root, site, database_url, auth="oidc") as test_client:
        yield test_client
        test_client.app.state.engine.dispose()


def shown(response) -> str:
    """The text a person reads on the page."""
    return html.unescape(visible_text(response.text))


def provider_user(issuer: str, sub: str, **claims) -> None:
    """Tell the mock provider which claims the user `sub` has."""
    response = httpx.put(f"{issuer}/users/{quote(sub, safe='')}", json=claims)
    assert response.status_code == 204, response.text


def start(client, next_url: str = "/min-sida/") -> str:
    """Begin signing in at the portal; the provider's authorization URL."""
    response = client.get("/login/oidc?" + urlencode({"next": next_url}))
    assert response.status_code == 302, response.text
    return response.headers["location"]


def authorize(authorization_url: str, sub: str, action: str | None = None) -> str:
    """Submit the provider's form as `sub` (as a browser would); the portal's callback URL."""
    form = {"sub": sub, **({"action": action} if action else {})}
    response = httpx.post(authorization_url, data=form)
    assert response.status_code == 302, response.text
    return response.headers["location"]


def sign_in_as(client, issuer: str, sub: str, next_url: str = "/min-sida/"):
    callback = authorize(start(client, next_url), sub)
    assert callback.startswith("http://testserver/login/oidc/callback?")
    return client.get(callback)


def test_login_page_offers_the_provider(client) -> None:
    page = client.get("/login?next=/uppfoljning/")
    assert page.status_code == 200
    assert 'href="/login/oidc?next=/uppfoljning/"' in page.text
    assert "Logga in med ditt jobbkonto" in page.text
    assert 'name="person_id"' not in page.text and "DEMOLÄGE" not in page.text


def test_authorization_request_uses_pkce_state_and_nonce(client, issuer) -> None:
    location = start(client)
    parts = urlsplit(location)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert f"{parts.scheme}://{parts.netloc}" == issuer
    assert query["response_type"] == "code"
    assert query["client_id"] == "rutinportalen"
    assert query["scope"] == "openid profile email"
    assert query["redirect_uri"] == "http://testserver/login/oidc/callback"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 20 and len(query["nonce"]) >= 20


@pytest.mark.parametrize("claim", ["david.berg", "David.Berg", "david.berg@valfard.example"],
                         ids=["person-id", "other-case", "e-mail"])
def test_signing_in_matches_the_claim_to_the_roster(client, issuer, claim) -> None:
    sub = f"sub-{claim}"
    provider_user(issuer, sub, preferred_username=claim, name="David Berg")
    response = sign_in_as(client, issuer, sub, next_url="/min-sida/#kvittenser")
    assert response.status_code == 303
    assert response.headers["location"] == "/min-sida/#kvittenser"
    assert response.headers["clear-site-data"] == '"storage"'  # nobody else's /api/me kept
    me = client.get("/api/me")
    assert me.status_code == 200
    assert me.json()["person"]["person_id"] == "david.berg"
    assert me.json()["person"]["name"] == "David Berg"
    assert "David Berg" in client.get("/min-sida/").text


def test_next_never_leaves_the_portal(client, issuer) -> None:
    provider_user(issuer, "sub-david", preferred_username="david.berg")
    response = sign_in_as(client, issuer, "sub-david", next_url="https://evil.example/")
    assert response.status_code == 303 and response.headers["location"] == "/min-sida/"


def test_another_claim_can_be_configured(example, database_url, issuer, monkeypatch) -> None:
    root, site = example
    import_demo_roster(root, database_url)
    monkeypatch.setenv("RUTINPORTAL_OIDC_ISSUER", issuer)
    monkeypatch.setenv("RUTINPORTAL_OIDC_CLIENT_ID", "rutinportalen")
    monkeypatch.setenv("RUTINPORTAL_OIDC_CLIENT_SECRET", "hemligt")
    monkeypatch.setenv("RUTINPORTAL_OIDC_CLAIM", "email")
    with make_client(root, site, database_url, auth="oidc") as client:
        provider_user(issuer, "sub-email", email="David.Berg@valfard.example",
                      preferred_username="someone.else")
        assert sign_in_as(client, issuer, "sub-email").status_code == 303
        assert client.get("/api/me").json()["person"]["person_id"] == "david.berg"
        client.app.state.engine.dispose()


def test_a_person_unknown_to_the_roster_gets_a_clear_page(client, issuer) -> None:
    provider_user(issuer, "sub-stranger", preferred_username="okand.person")
    response = sign_in_as(client, issuer, "sub-stranger")
    assert response.status_code == 403
    assert "text/html" in response.headers["content-type"]
    assert NOT_ON_ROSTER.format("okand.person") in shown(response)
    assert client.get("/api/me").status_code == 401


def test_an_inactive_person_is_refused(client, issuer) -> None:
    with client.app.state.portal.session() as session:
        session.execute(update(Person).where(Person.person_id == "david.berg")
                        .values(active=False))
        session.commit()
    provider_user(issuer, "sub-left", preferred_username="david.berg")
    response = sign_in_as(client, issuer, "sub-left")
    assert response.status_code == 403
    assert NOT_ON_ROSTER.format("david.berg") in shown(response)
    assert client.get("/api/me").status_code == 401


def test_a_missing_claim_is_refused(client, issuer) -> None:
    provider_user(issuer, "sub-anonymous", name="Utan Användarnamn")
    response = sign_in_as(client, issuer, "sub-anonymous")
    assert response.status_code == 403
    assert ("Inloggningstjänsten skickade inte uppgiften 'preferred_username' som "
            "Rutinportalen känner igen dig med.") in shown(response)
    assert client.get("/api/me").status_code == 401


def test_a_tampered_state_is_refused(client, issuer) -> None:
    provider_user(issuer, "sub-david", preferred_username="david.berg")
    callback = authorize(start(client), "sub-david")
    query = parse_qs(urlsplit(callback).query)
    tampered = "/login/oidc/callback?" + urlencode({"code": query["code"][0],
                                                    "state": query["state"][0] + "x"})
    response = client.get(tampered)
    assert response.status_code == 400
    assert STATE_REFUSED in shown(response)
    assert client.get("/api/me").status_code == 401


def test_a_callback_without_a_started_sign_in_is_refused(client, issuer) -> None:
    provider_user(issuer, "sub-david", preferred_username="david.berg")
    callback = authorize(start(client), "sub-david")
    client.cookies.clear()  # another browser: the state is not in its session
    response = client.get(callback)
    assert response.status_code == 400 and STATE_REFUSED in shown(response)


def test_a_sign_in_denied_at_the_provider_is_refused(client, issuer) -> None:
    callback = authorize(start(client), "sub-david", action="deny")
    response = client.get(callback)
    assert response.status_code == 400
    assert ("Inloggningen avbröts eller godkändes inte av inloggningstjänsten "
            "(access_denied).") in shown(response)
    assert client.get("/api/me").status_code == 401


def test_the_routes_exist_only_in_oidc_mode(example, database_url) -> None:
    root, site = example
    import_demo_roster(root, database_url)
    with make_client(root, site, database_url) as client:
        assert client.get("/login/oidc").status_code == 404
        client.app.state.engine.dispose()


def test_an_unreachable_provider_gives_a_clear_page(example, database_url, monkeypatch) -> None:
    root, site = example
    import_demo_roster(root, database_url)
    closed = free_port()  # a port where nothing listens
    monkeypatch.setenv("RUTINPORTAL_OIDC_ISSUER", f"http://127.0.0.1:{closed}")
    monkeypatch.setenv("RUTINPORTAL_OIDC_CLIENT_ID", "rutinportalen")
    with make_client(root, site, database_url, auth="oidc") as client:
        response = client.get("/login/oidc")
        assert response.status_code == 502
        assert ("Inloggningstjänsten går inte att nå eller svarar med ett fel just nu, så du "
                "kan inte logga in.") in shown(response)
        client.app.state.engine.dispose()
