"""Sessions that can end, on SQLite and PostgreSQL: sign-out ends the session on the server,
an idle session ends, an administrator signs a person out everywhere, and a session works
only in the auth mode (and OIDC issuer) it was made in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, update

from rutinportal.cli import main
from rutinportal.portal.storage.models import SignInSession

from ..support import clients_of, csrf, import_demo_roster, sign_in

pytestmark = pytest.mark.build

ENDED = ("Din inloggning har upphört: du har loggat ut, inte använt portalen på {} eller "
         "loggats ut av en administratör. Logga in igen.")


@pytest.fixture(scope="module")
def example(built_example) -> tuple[Path, Path]:
    return (built_example.root, built_example.site)


@pytest.fixture
def portal(example, database_url):
    """`portal(**options)`: a client of a portal on the test's database (dev mode default)."""
    root, site = example
    import_demo_roster(root, database_url)
    with clients_of(root, site, database_url) as make:
        yield make


def rows(client, **where) -> list[SignInSession]:
    with client.app.state.portal.session() as session:
        query = select(SignInSession)
        for key, value in where.items():
            query = query.where(getattr(SignInSession, key) == value)
        return list(session.scalars(query))


def idle_for(client, minutes: int) -> None:
    """As if every session had last been used `minutes` ago."""
    with client.app.state.portal.session() as session:
        moment = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=minutes)
        session.execute(update(SignInSession).values(last_seen_at=moment))
        session.commit()


def test_a_cookie_saved_before_sign_out_no_longer_works(portal) -> None:
    client = portal()
    sign_in(client, "david.berg")
    saved = client.cookies["rp_session"]
    assert client.get("/api/me").status_code == 200
    out = client.post("/logout", data={"csrf_token": csrf(client)})
    assert out.status_code == 303
    assert client.get("/api/me").status_code == 401
    replay = portal()
    replay.cookies.set("rp_session", saved)
    answer = replay.get("/api/me")
    assert answer.status_code == 401
    assert answer.json() == {"detail": ENDED.format("8 timmar")}
    assert replay.get("/uppfoljning/export.xlsx").status_code == 401
    [record] = rows(client)
    assert record.ended_at is not None and record.auth_mode == "dev" and record.issuer == ""
    assert len(record.token_sha256) == 64 and record.token_sha256 not in saved


def test_signing_in_and_out_clears_what_the_browser_kept(portal) -> None:
    """The site's script keeps /api/me in the tab for a few minutes; a new person in the same
    browser must not see it."""
    client = portal()
    signed_in = client.post("/login", data={"person_id": "david.berg", "csrf_token": csrf(client),
                                            "next": "/min-sida/"})
    assert signed_in.status_code == 303
    assert signed_in.headers["clear-site-data"] == '"storage"'
    out = client.post("/logout", data={"csrf_token": csrf(client)})
    assert out.headers["clear-site-data"] == '"storage"'
    assert "clear-site-data" not in client.get("/api/health").headers


def test_an_idle_session_ends_after_eight_hours_by_default(portal) -> None:
    client = portal()
    sign_in(client, "david.berg")
    idle_for(client, 7 * 60 + 59)
    assert client.get("/api/me").status_code == 200  # and that use counts as activity
    assert client.get("/api/me").status_code == 200
    idle_for(client, 8 * 60 + 1)
    assert client.get("/api/me").status_code == 401


def test_the_idle_timeout_is_a_setting(portal, monkeypatch) -> None:
    monkeypatch.setenv("RUTINPORTAL_SESSION_IDLE_MINUTES", "30")
    client = portal()
    assert client.app.state.portal.settings.session_idle_minutes == 30
    sign_in(client, "david.berg")
    idle_for(client, 31)
    answer = client.get("/api/me")
    assert answer.status_code == 401 and answer.json()["detail"] == ENDED.format("30 minuter")


def test_use_is_recorded_at_most_once_a_minute(portal) -> None:
    client = portal()
    sign_in(client, "david.berg")
    [before] = rows(client)
    for _ in range(3):
        assert client.get("/api/me").status_code == 200
    [after] = rows(client)
    assert after.last_seen_at == before.last_seen_at  # no write per request
    idle_for(client, 2)
    [idle] = rows(client)
    client.get("/api/me")
    [touched] = rows(client)
    assert touched.last_seen_at > idle.last_seen_at


def test_signing_in_again_makes_a_new_session(portal) -> None:
    client = portal()
    sign_in(client, "david.berg")
    first = client.cookies["rp_session"]
    sign_in(client, "david.berg")
    assert client.cookies["rp_session"] != first
    old = portal()
    old.cookies.set("rp_session", first)
    assert old.get("/api/me").status_code == 200  # signing in elsewhere ends nothing
    assert len(rows(client)) == 2


def test_an_administrator_signs_a_person_out_everywhere(portal, database_url) -> None:
    phone, desktop, colleague = portal(), portal(), portal()
    sign_in(phone, "david.berg")
    sign_in(desktop, "david.berg")
    sign_in(colleague, "anna.lind")
    result = CliRunner().invoke(main, ["person", "sign-out", "david.berg",
                                       "--database", database_url])
    assert result.exit_code == 0, result.output
    assert result.output == ("David Berg (david.berg) är utloggad överallt: 2 inloggningar "
                             "avslutades. Nästa gång behöver personen logga in igen.\n")
    assert phone.get("/api/me").status_code == 401
    assert desktop.get("/min-sida/").status_code == 401
    assert colleague.get("/api/me").status_code == 200
    unknown = CliRunner().invoke(main, ["person", "sign-out", "finns.inte",
                                        "--database", database_url])
    assert unknown.exit_code == 1
    assert unknown.output == ("Fel: Det finns ingen person med id 'finns.inte' i "
                              "Rutinportalens databas. Kontrollera id:t i personallistan "
                              "(kolumnen personid).\n")


OIDC = {"RUTINPORTAL_OIDC_ISSUER": "https://login.example/tenant-a/v2.0",
        "RUTINPORTAL_OIDC_CLIENT_ID": "rutinportalen"}


def test_a_session_works_only_in_the_mode_it_was_made_in(portal, monkeypatch) -> None:
    dev = portal()
    sign_in(dev, "karin.ostberg")  # sector leadership: every export
    cookie = dev.cookies["rp_session"]
    for name, value in OIDC.items():
        monkeypatch.setenv(name, value)
    oidc = portal(auth="oidc")  # the same checkout: same secret key, same database
    oidc.cookies.set("rp_session", cookie)
    assert oidc.get("/api/me").status_code == 401
    assert oidc.get("/uppfoljning/export.xlsx").status_code == 401
    assert dev.get("/api/me").status_code == 200  # still good where it was made


def test_an_oidc_session_works_only_with_its_issuer(portal, monkeypatch) -> None:
    dev = portal()
    sign_in(dev, "karin.ostberg")
    cookie = dev.cookies["rp_session"]
    with dev.app.state.portal.session() as session:  # as if made by an OIDC sign-in at A
        session.execute(update(SignInSession).values(auth_mode="oidc",
                                                     issuer=OIDC["RUTINPORTAL_OIDC_ISSUER"]))
        session.commit()
    for name, value in OIDC.items():
        monkeypatch.setenv(name, value)
    same = portal(auth="oidc")
    same.cookies.set("rp_session", cookie)
    assert same.get("/api/me").status_code == 200
    monkeypatch.setenv("RUTINPORTAL_OIDC_ISSUER", "https://login.example/tenant-b/v2.0")
    other = portal(auth="oidc")
    other.cookies.set("rp_session", cookie)
    assert other.get("/api/me").status_code == 401


def test_sessions_that_are_over_are_removed_at_the_next_sign_in(portal) -> None:
    client = portal()
    sign_in(client, "david.berg")
    client.post("/logout", data={"csrf_token": csrf(client)})
    sign_in(client, "david.berg")
    with client.app.state.portal.session() as session:
        count = session.scalar(select(func.count()).select_from(SignInSession))
    assert count == 1
