"""Intranet SSO by header (`--auth header`) on SQLite and PostgreSQL, and the settings that
guard it: the header counts only from the trusted proxy addresses; secrets never printed."""

from __future__ import annotations

import html
import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from rutinportal.errors import UserError
from rutinportal.portal.app import create_app
from rutinportal.portal.storage.models import Person
from rutinportal.portal.settings import load_settings

from ..support import import_demo_roster, visible_text

NOT_SIGNED_IN = ("Du är inte inloggad. Logga in för att kvittera rutiner och göra "
                 "kunskapstest.")
UNTRUSTED = ("Rubriken {} godtas bara från intranätets inloggningsproxy. Logga in via "
             "intranätet.")
NOT_ON_ROSTER = ("Du är inloggad som '{}', men finns inte bland de aktiva medarbetarna i "
                 "Rutinportalens personallista. Kontakta din chef eller "
                 "informationssäkerhetssamordnaren, så läggs du till vid nästa import.")


@pytest.fixture(autouse=True)
def no_portal_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings come only from what each test gives, not from the shell running the tests."""
    for name in list(os.environ):
        if name.startswith("RUTINPORTAL_"):
            monkeypatch.delenv(name)


build = pytest.mark.build  # these build the example site (once for the module)


def shown(response) -> str:
    return html.unescape(visible_text(response.text))


@pytest.fixture(scope="module")
def example(built_example) -> tuple[Path, Path]:
    return (built_example.root, built_example.site)


@pytest.fixture
def connect(example, database_url):
    """A client for the portal in header mode, seen from the address `host`."""
    root, site = example
    import_demo_roster(root, database_url)
    apps = {}

    def connect(host: str, proxies=("10.0.0.0/24",), user_header=None) -> TestClient:
        if (proxies, user_header) not in apps:
            settings = load_settings(root, database=database_url, site_dir=site,
                                     secret_key="test-secret", auth="header",
                                     trusted_proxies=proxies, user_header=user_header)
            apps[proxies, user_header] = create_app(settings)
        return TestClient(apps[proxies, user_header], client=(host, 50000),
                          follow_redirects=False)

    yield connect
    for app in apps.values():
        app.state.engine.dispose()


@build
def test_the_header_from_a_trusted_proxy_signs_in(connect) -> None:
    client = connect("10.0.0.5")
    me = client.get("/api/me", headers={"X-Remote-User": "david.berg"})
    assert me.status_code == 200 and me.json()["person"]["name"] == "David Berg"
    page = client.get("/min-sida/", headers={"X-Remote-User": "david.berg"})
    assert page.status_code == 200 and "David Berg" in page.text

@build
@pytest.mark.parametrize("proxies, host", [
    (("10.0.0.5",), "10.0.0.5"),
    (("192.168.1.1", "10.0.0.0/24"), "10.0.0.250"),
    (("192.168.1.1 10.0.0.0/8",), "10.20.30.40"),  # as in RUTINPORTAL_TRUSTED_PROXIES
    (("fd00::/64",), "fd00::17"),
])
def test_addresses_and_networks_can_be_trusted(connect, proxies, host) -> None:
    client = connect(host, proxies=proxies)
    me = client.get("/api/me", headers={"X-Remote-User": "david.berg"})
    assert me.status_code == 200 and me.json()["person"]["person_id"] == "david.berg"

@build
@pytest.mark.parametrize("host", ["10.0.1.5", "192.168.1.7", "127.0.0.1", "fd00::17",
                                  "testclient"])
def test_the_header_from_anywhere_else_is_refused(connect, host) -> None:
    client = connect(host)
    me = client.get("/api/me", headers={"X-Remote-User": "david.berg"})
    assert me.status_code == 401
    assert me.json() == {"detail": UNTRUSTED.format("X-Remote-User")}
    page = client.get("/min-sida/", headers={"X-Remote-User": "david.berg"})
    assert page.status_code == 401 and "text/html" in page.headers["content-type"]
    assert UNTRUSTED.format("X-Remote-User") in shown(page)

@build
def test_another_header_can_be_configured(connect) -> None:
    client = connect("10.0.0.5", user_header="X-Forwarded-User")
    me = client.get("/api/me", headers={"X-Forwarded-User": "david.berg"})
    assert me.status_code == 200 and me.json()["person"]["person_id"] == "david.berg"
    ignored = client.get("/api/me", headers={"X-Remote-User": "david.berg"})
    assert ignored.status_code == 401
    assert ignored.json() == {"detail": NOT_SIGNED_IN}
    outside = connect("192.168.1.7", user_header="X-Forwarded-User")
    refused = outside.get("/api/me", headers={"X-Forwarded-User": "david.berg"})
    assert refused.json() == {"detail": UNTRUSTED.format("X-Forwarded-User")}

@build
@pytest.mark.parametrize("headers", [{}, {"X-Remote-User": ""}, {"X-Remote-User": "  "}],
                         ids=["no-header", "empty", "blank"])
def test_without_an_identity_nobody_is_signed_in(connect, headers) -> None:
    client = connect("10.0.0.5")
    me = client.get("/api/me", headers=headers)
    assert me.status_code == 401 and me.json() == {"detail": NOT_SIGNED_IN}
    page = client.get("/min-sida/", headers=headers)
    assert page.status_code == 401 and NOT_SIGNED_IN in shown(page)

@build
def test_a_person_unknown_to_the_roster_gets_a_clear_answer(connect) -> None:
    client = connect("10.0.0.5")
    headers = {"X-Remote-User": "okand.person"}
    me = client.get("/api/me", headers=headers)
    assert me.status_code == 403
    assert me.json() == {"detail": NOT_ON_ROSTER.format("okand.person")}
    page = client.get("/min-sida/", headers=headers)
    assert page.status_code == 403 and "text/html" in page.headers["content-type"]
    assert "Ingen behörighet" in shown(page)
    assert NOT_ON_ROSTER.format("okand.person") in shown(page)

@build
def test_a_person_who_left_is_refused(connect) -> None:
    client = connect("10.0.0.5")
    with client.app.state.portal.session() as session:
        session.execute(update(Person).where(Person.person_id == "david.berg")
                        .values(active=False))
        session.commit()
    me = client.get("/api/me", headers={"X-Remote-User": "david.berg"})
    assert me.status_code == 403
    assert me.json() == {"detail": NOT_ON_ROSTER.format("david.berg")}

@build
def test_a_session_cookie_is_no_identity_in_header_mode(connect) -> None:
    client = connect("10.0.0.5")
    client.get("/api/openapi.json")  # the CSRF cookie
    form = client.post("/login", data={"person_id": "david.berg",
                                       "csrf_token": client.cookies["rp_csrf"]})
    assert form.status_code == 403
    assert client.get("/api/me").status_code == 401


def settings_for(tmp_path: Path, **options):
    return load_settings(tmp_path, database=f"sqlite:///{tmp_path}/portal.sqlite3",
                         secret_key="test-secret", **options)


@pytest.mark.parametrize("options, environment, message", [
    ({"auth": "header"}, {},
     "--auth header kräver minst en --trusted-proxy (SSO-proxyns adress); annars kan vem som "
     "helst skicka rubriken och utge sig för någon annan"),
    ({"auth": "header", "trusted_proxies": ("10.0.0.300/24",)}, {},
     "--trusted-proxy: förväntade en IP-adress eller ett nät i CIDR-form (t.ex. 10.0.0.5 eller "
     "10.0.0.0/24), fick '10.0.0.300/24'"),
    ({"auth": "header"}, {"RUTINPORTAL_TRUSTED_PROXIES": "10.0.0.1 proxy.intranet"},
     "--trusted-proxy: förväntade en IP-adress eller ett nät i CIDR-form (t.ex. 10.0.0.5 eller "
     "10.0.0.0/24), fick 'proxy.intranet'"),
    ({"auth": "oidc"}, {"RUTINPORTAL_OIDC_CLIENT_ID": "rutinportalen"},
     "--auth oidc kräver RUTINPORTAL_OIDC_ISSUER och RUTINPORTAL_OIDC_CLIENT_ID"),
    ({"auth": "oidc"}, {"RUTINPORTAL_OIDC_ISSUER": "https://login.example/v2.0"},
     "--auth oidc kräver RUTINPORTAL_OIDC_ISSUER och RUTINPORTAL_OIDC_CLIENT_ID"),
    ({"auth": "sso"}, {}, "auth: förväntade en av dev, header, oidc, fick 'sso'"),
    ({"auth": "dev"}, {"RUTINPORTAL_RETENTION_YEARS": "0"},
     "RUTINPORTAL_RETENTION_YEARS: förväntade ett heltal från och med 1, fick '0'"),
    ({"auth": "dev"}, {"RUTINPORTAL_SESSION_IDLE_MINUTES": "8h"},
     "RUTINPORTAL_SESSION_IDLE_MINUTES: förväntade ett heltal från och med 1, fick '8h'"),
    ({"auth": "dev"}, {"RUTINPORTAL_QUIZ_COOLDOWN_MINUTES": "0"},
     "RUTINPORTAL_QUIZ_COOLDOWN_MINUTES: förväntade ett heltal från och med 1, fick '0'"),
    ({"auth": "dev"}, {"RUTINPORTAL_MAX_BODY_KB": "-1"},
     "RUTINPORTAL_MAX_BODY_KB: förväntade ett heltal från och med 1, fick '-1'"),
    ({"auth": "dev"}, {"RUTINPORTAL_PUBLIC_URL": "rutiner.kommun.se"},
     "RUTINPORTAL_PUBLIC_URL: förväntade en adress som börjar med https:// (t.ex. "
     "https://rutiner.kommun.se), fick 'rutiner.kommun.se'"),
])
def test_settings_errors_name_the_setting(tmp_path, monkeypatch, options, environment,
                                          message) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(UserError) as raised:
        settings_for(tmp_path, **options)
    assert str(raised.value) == message


def test_settings_for_header_and_oidc_modes(tmp_path, monkeypatch) -> None:
    header = settings_for(tmp_path, auth="header", trusted_proxies=("10.0.0.5", "10.1.0.0/16"),
                          user_header="X-Forwarded-User")
    assert [str(n) for n in header.trusted_proxies] == ["10.0.0.5/32", "10.1.0.0/16"]
    assert header.user_header == "X-Forwarded-User"
    monkeypatch.setenv("RUTINPORTAL_OIDC_ISSUER", "https://login.microsoftonline.com/t/v2.0")
    monkeypatch.setenv("RUTINPORTAL_OIDC_CLIENT_ID", "rutinportalen")
    monkeypatch.setenv("RUTINPORTAL_PUBLIC_URL", "https://rutiner.kommun.se/")
    oidc = settings_for(tmp_path, auth="oidc")
    assert oidc.oidc_claim == "preferred_username"
    assert oidc.public_url == "https://rutiner.kommun.se"


def test_printed_settings_never_show_secrets(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("RUTINPORTAL_OIDC_ISSUER", "https://login.microsoftonline.com/t/v2.0")
    monkeypatch.setenv("RUTINPORTAL_OIDC_CLIENT_ID", "rutinportalen")
    monkeypatch.setenv("RUTINPORTAL_OIDC_CLIENT_SECRET", "oidc-klient-hemlis")
    settings = load_settings(tmp_path, auth="oidc", secret_key="sessions-hemlis",
                             database="postgresql://rutinportal:db-hemlis@db.internal/rutiner")
    for shown_settings in (repr(settings), str(settings), f"{settings!r}"):
        assert "sessions-hemlis" not in shown_settings
        assert "oidc-klient-hemlis" not in shown_settings
        assert "db-hemlis" not in shown_settings
        assert "postgresql://rutinportal:***@db.internal/rutiner" in shown_settings
        assert "rutinportalen" in shown_settings  # the rest is shown


def test_an_ipv4_proxy_seen_through_an_ipv6_socket_is_trusted() -> None:
    import ipaddress
    from types import SimpleNamespace

    from rutinportal.portal.access.auth import client_is_trusted

    settings = SimpleNamespace(trusted_proxies=(ipaddress.ip_network("10.0.0.0/24"),))
    request = SimpleNamespace(client=SimpleNamespace(host="::ffff:10.0.0.5"))
    assert client_is_trusted(settings, request)
    request.client.host = "::ffff:10.0.1.5"
    assert not client_is_trusted(settings, request)
