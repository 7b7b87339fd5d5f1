"""The ledger on SQLite and PostgreSQL: exceptions recorded in the portal (who may, CSRF,
the person's page, counted out of the dashboard) and on the command line; renewal from the
records; and the ledger agrees with the rule for every person and requirement."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import replace

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from rutinportal.cli import main
from rutinportal.portal.campaigns import records
from rutinportal.portal.campaigns.ledger import build_ledger, circumstances
from rutinportal.portal.campaigns.rules import State, assess
from rutinportal.portal.storage.models import Acknowledgement, Person, PersonException

from ..support import csrf, import_demo_roster, make_client, post, sign_in, visible_text

pytestmark = pytest.mark.build
TODAY = dt.date.today()
AWAY_UNTIL = (TODAY + dt.timedelta(days=60)).isoformat()


@pytest.fixture
def client(built_example, database_url):
    import_demo_roster(built_example.root, database_url)
    with make_client(built_example.root, built_example.site, database_url) as client:
        yield client
        client.app.state.engine.dispose()


def exception(client, person_id: str, **fields):
    data = {"csrf_token": csrf(client), **fields}
    return client.post(f"/uppfoljning/personer/{person_id}/undantag", data=data)


def test_a_manager_records_an_absence_for_their_people_only(client) -> None:
    sign_in(client, "anna.lind")
    assert exception(client, "fatima.ali", kind="away", until=AWAY_UNTIL,
                     reason="Föräldraledig").status_code == 403
    sign_in(client, "emma.lindberg")  # DISK in hemtjänst: sees, records nothing
    assert client.get("/uppfoljning/personer/fatima.ali/").status_code == 200
    assert exception(client, "fatima.ali", kind="away", until=AWAY_UNTIL,
                     reason="Föräldraledig").status_code == 403
    sign_in(client, "maria.engstrom")  # another unit's manager
    assert client.get("/uppfoljning/personer/fatima.ali/").status_code == 403
    sign_in(client, "lena.nyberg")
    before = visible_text(client.get("/uppfoljning/enheter/hemtjanst/").text)
    assert "10 aktiva medarbetare." in before
    response = exception(client, "fatima.ali", kind="away", until=AWAY_UNTIL,
                         reason="Föräldraledig")
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert "no-store" in page.headers["cache-control"]
    text = visible_text(page.text)
    assert "Undantaget är registrerat." in text
    assert f"Frånvarande till och med {AWAY_UNTIL} (Föräldraledig) – registrerat {TODAY} av " \
           "Lena Nyberg (lena.nyberg)" in text
    unit = visible_text(client.get("/uppfoljning/enheter/hemtjanst/").text)
    assert "9 aktiva medarbetare." in unit  # counted out until the date
    assert f"Fatima Ali 7 0 frånvarande Frånvarande till och med {AWAY_UNTIL} " \
           "(Föräldraledig)" in unit
    sign_in(client, "fatima.ali")
    me = client.get("/api/me").json()
    assert me["due"]["away_until"] == AWAY_UNTIL
    assert "Du är registrerad som frånvarande till och med" in \
        visible_text(client.get("/min-sida/").text)
    # Taken back: counted again.
    sign_in(client, "lena.nyberg")
    with client.app.state.portal.session() as session:
        found = session.scalars(select(PersonException)).one()
    revoked = client.post(f"/uppfoljning/personer/fatima.ali/undantag/{found.id}/ta-bort",
                          data={"csrf_token": csrf(client)})
    assert revoked.status_code == 303
    assert "10 aktiva medarbetare." in \
        visible_text(client.get("/uppfoljning/enheter/hemtjanst/").text)


def test_an_extension_moves_one_due_date_and_bad_input_records_nothing(client) -> None:
    sign_in(client, "sofia.bergstrom")  # the coordinator: everyone
    later = (TODAY + dt.timedelta(days=90)).isoformat()
    assert exception(client, "per.holm", kind="extend", document="RUT-009", until=later,
                     reason="Nyanställd, introduktion").status_code == 303
    text = visible_text(client.get("/uppfoljning/personer/per.holm/").text)
    assert f"Senare datum för Lösenord och tvåstegsverifiering: senast {later}" in text
    assert f"senast {later} (senare datum)" in text
    for fields, message in [
        ({"kind": "away", "until": "2020-01-01", "reason": "x"},
         f"until: förväntade ett datum från och med i dag ({TODAY}), fick 2020-01-01."),
        ({"kind": "away", "until": "i morgon", "reason": "x"},
         "until: förväntade ett datum ÅÅÅÅ-MM-DD, fick 'i morgon'."),
        ({"kind": "away", "until": later, "reason": "  "}, "reason: förväntade ett skäl"),
        ({"kind": "extend", "document": "RUT-008", "until": later, "reason": "x"},
         "document: förväntade en publicerad obligatorisk rutin eller utbildningsmodul, "
         "fick 'RUT-008'."),
        ({"kind": "semester", "until": later, "reason": "x"},
         "kind: förväntade away eller extend, fick 'semester'."),
    ]:
        response = exception(client, "per.holm", **fields)
        assert response.status_code == 422, fields
        assert message in html.unescape(visible_text(response.text))
    with client.app.state.portal.session() as session:
        assert len(session.scalars(select(PersonException)).all()) == 1


def test_exceptions_on_the_command_line(built_example, database_url) -> None:
    import_demo_roster(built_example.root, database_url)
    env = {"RUTINPORTAL_ROOT": str(built_example.root)}
    common = ["--database", database_url]

    def run(*args):
        return CliRunner().invoke(main, [*args, *common], env=env)

    result = run("person", "away", "anna.lind", "--until", AWAY_UNTIL, "--reason",
                 "Långtidssjukskriven")
    assert result.exit_code == 0, result.output
    assert f"Anna Lind (anna.lind): Frånvarande till och med {AWAY_UNTIL} " \
           "(Långtidssjukskriven). Personen räknas inte med" in result.output
    result = run("person", "extend", "anna.lind", "--document", "RUT-001", "--until",
                 AWAY_UNTIL, "--reason", "Introduktion", "--site-dir", str(built_example.site))
    assert result.exit_code == 0, result.output
    assert "Senare datum för Låna aldrig ut ditt SITHS-kort" in result.output
    listed = run("person", "exceptions", "anna.lind")
    assert "Undantag för Anna Lind (anna.lind):" in listed.output
    assert "registrerat" in listed.output and "CLI (" in listed.output
    missing = run("person", "away", "finns.inte", "--until", AWAY_UNTIL, "--reason", "x")
    assert missing.exit_code == 1
    assert "Det finns ingen person med id 'finns.inte'" in missing.output
    wrong = run("person", "away", "anna.lind", "--until", "31/12", "--reason", "x")
    assert wrong.exit_code == 1
    assert "Ogiltigt värde för '--until': förväntade ett datum ÅÅÅÅ-MM-DD, fick '31/12'" \
        in wrong.output


def test_renewal_from_the_records_and_the_ledger_agrees_with_the_rule(client) -> None:
    portal = client.app.state.portal
    published = portal.published
    # RUT-001 must be renewed every 12 months (as if its front-matter said renew_months: 12).
    published.documents["RUT-001"] = replace(published.documents["RUT-001"], renew_months=12)
    sign_in(client, "anna.lind")
    version = published.documents["RUT-001"].version  # the published one
    assert post(client, "/api/acknowledgements",
                {"document_id": "RUT-001", "version": version}).status_code == 201
    with portal.session() as session:
        anna = session.scalars(select(Person).where(Person.person_id == "anna.lind")).one()
        ack = session.scalars(select(Acknowledgement)).one()
        ack.acknowledged_at = dt.datetime(2025, 12, 1, 9, tzinfo=dt.timezone.utc)
        session.commit()
        ledger = build_ledger(session, published, dt.date(2026, 11, 10))
        requirement = ledger.requirement("RUT-001")
        renewing = ledger.obligation(requirement, anna.id)
        # Valid until 2026-12-01; the renewal is owed from 30 days before and due that day.
        assert (renewing.state, renewing.due, renewing.item) == \
            (State.OPEN, dt.date(2026, 12, 1), "RUT-001@2/2026-12-01")
        assert renewing.valid and anna.id in ledger.valid[requirement.key]  # still valid
        later = build_ledger(session, published, dt.date(2026, 12, 2))
        assert later.obligation(requirement, anna.id).state is State.OVERDUE
        assert anna.id not in later.valid[requirement.key]  # counted only while valid
        # Every person and requirement: the ledger says what the rule says.
        done = records.completed(session, later.requirements)
        latest = records.latest_records(session, later.requirements)
        for r in later.requirements:
            for pk in later.members[r.key]:
                record = latest.get((r.key, pk)) if r.renew_months else \
                    (dt.date.min if pk in done.get(r.key, set()) else None)
                found = assess(r, record if pk in done.get(r.key, set()) else None,
                               circumstances(later.people, later.exceptions, pk, r), later.today)
                assert later.obligation(r, pk) == (None if found.state is State.DONE
                                                   else found), (r.key, pk)
