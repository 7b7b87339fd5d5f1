"""Genomgång på APT on SQLite and PostgreSQL: attendees get `apt` acknowledgements with the
meeting's date and the manager as witness, in one transaction; an earlier acknowledgement
stands and the receipt says so; only a manager of the unit records; the sheet has the quiz
questions without the key."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from sqlalchemy import select

from rutinportal.content.publications import add_months
from rutinportal.portal.published import load_published
from rutinportal.portal.receipts.acknowledgements import record as acknowledge, wanted
from rutinportal.portal.storage.db import make_engine
from rutinportal.portal.storage.models import Acknowledgement, AptAttendance, AptMeeting, Person

from ..support import (csrf, import_demo_roster, make_client, post, renewing_site, sign_in,
                       visible_text)

pytestmark = pytest.mark.build
FORM = "/uppfoljning/enheter/hemtjanst/apt/"


@pytest.fixture
def client(built_example, database_url):
    import_demo_roster(built_example.root, database_url)
    with make_client(built_example.root, built_example.site, database_url) as client:
        yield client
        client.app.state.engine.dispose()


def record(client, **fields):
    data = {"csrf_token": csrf(client), "held_on": dt.date.today().isoformat(), **fields}
    return client.post(FORM, data=data)


def rows(client, model, *where):
    with client.app.state.portal.session() as session:
        return session.scalars(select(model).where(*where)).all()


def test_a_manager_records_a_meeting_and_attendees_get_apt_acknowledgements(client) -> None:
    published = client.app.state.portal.published.documents  # the versions in force
    sign_in(client, "anna.lind")  # acknowledged RUT-001 on the web the day before
    assert post(client, "/api/acknowledgements",
                {"document_id": "RUT-001",
                 "version": published["RUT-001"].version}).status_code == 201
    sign_in(client, "lena.nyberg")  # chef för hemtjänst
    form = client.get(FORM)
    assert form.status_code == 200 and "no-store" in form.headers["cache-control"]
    text = visible_text(form.text)
    assert "Genomgång på APT: Hemtjänst" in text and "Fatima Ali" in text
    held_on = dt.date.today() - dt.timedelta(days=2)
    response = record(client, held_on=held_on.isoformat(), dokument=["RUT-001", "RUT-002"],
                      deltagare=["anna.lind", "fatima.ali"])
    assert response.status_code == 303, response.text
    receipt = client.get(response.headers["location"])
    text = visible_text(receipt.text)
    assert f"Genomgång på APT {held_on.isoformat()}: Hemtjänst" in text
    assert "Registrerad med Lena Nyberg som vittne: 2 deltagare, 2 rutiner, 3 nya " \
           "kvittenser." in text
    assert f"Anna Lind: Låna aldrig ut ditt SITHS-kort – kvitterad {dt.date.today()}" in text
    meeting = rows(client, AptMeeting)[0]
    lena = rows(client, Person, Person.person_id == "lena.nyberg")[0]
    assert (meeting.unit_id, meeting.held_on, meeting.witness_pk) == \
        ("hemtjanst", held_on, lena.id)
    acks = rows(client, Acknowledgement, Acknowledgement.meeting_id == meeting.id)
    assert sorted((a.document_id, a.source) for a in acks) == \
        [("RUT-001", "apt"), ("RUT-002", "apt"), ("RUT-002", "apt")]
    assert len(rows(client, AptAttendance)) == 2
    # Anna's first acknowledgement of RUT-001 stands (web, not apt).
    anna = rows(client, Person, Person.person_id == "anna.lind")[0]
    first = rows(client, Acknowledgement, Acknowledgement.person_pk == anna.id,
                 Acknowledgement.document_id == "RUT-001")
    assert [a.source for a in first] == ["web"]
    # In the dashboard's export, for the unit's manager.
    export = client.get("/uppfoljning/export.csv?tabell=apt")
    assert export.status_code == 200
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Datum;Enhet;Vittne (chef);Rutiner;Deltagare;Nya kvittenser (källa apt)"
    versions = f"RUT-001 v{published['RUT-001'].version}, RUT-002 v{published['RUT-002'].version}"
    assert lines[1] == f"{held_on.isoformat()};Hemtjänst;Lena Nyberg;{versions};2;3"
    # Shown as such on Min sida and in /api/me.
    sign_in(client, "fatima.ali")
    me = client.get("/api/me").json()
    rut002 = next(a for a in me["acknowledged"] if a["document_id"] == "RUT-002")
    assert (rut002["source"], rut002["meeting_on"], rut002["witness"]) == \
        ("apt", held_on.isoformat(), "Lena Nyberg")
    assert f"genomgången på APT {held_on.isoformat()}, Lena Nyberg var vittne" in \
        visible_text(client.get("/min-sida/").text)


def test_only_a_manager_of_the_unit_records_and_nothing_half_written(client) -> None:
    for person_id, status in [("anna.lind", 403), ("emma.lindberg", 403),  # DISK
                              ("maria.engstrom", 403), ("lena.nyberg", 200),
                              ("sofia.bergstrom", 200)]:  # coordinator
        sign_in(client, person_id)
        assert client.get(FORM).status_code == status, person_id
    sign_in(client, "maria.engstrom")  # chef för vård- och omsorgsboende
    refused = record(client, dokument=["RUT-001"], deltagare=["anna.lind"])
    assert refused.status_code == 403
    assert "Genomgång på APT registreras av enhetens chef." in visible_text(refused.text)
    sign_in(client, "lena.nyberg")
    for fields, message in [
        ({"dokument": ["RUT-001"], "deltagare": ["kerstin.andersson"]},
         "deltagare: förväntade aktiva medarbetare i Hemtjänst, fick kerstin.andersson."),
        ({"dokument": ["RUT-004"], "deltagare": ["anna.lind"]},
         "dokument: förväntade publicerade rutiner för Hemtjänst, fick RUT-004."),
        ({"deltagare": ["anna.lind"]}, "dokument: välj minst en rutin som ni gick igenom."),
        ({"dokument": ["RUT-001"], "held_on": (dt.date.today() + dt.timedelta(days=1))
          .isoformat(), "deltagare": ["anna.lind"]}, "held_on: förväntade mötets datum"),
    ]:
        response = record(client, **fields)
        assert response.status_code == 422
        assert message in html.unescape(visible_text(response.text))
        assert "Ingenting har registrerats." in visible_text(response.text)
    assert rows(client, AptMeeting) == [] and rows(client, Acknowledgement) == []
    # No CSRF token from a browser: refused before anything happens.
    assert client.post(FORM, data={"dokument": "RUT-001", "deltagare": "anna.lind"},
                       headers={"Referer": "http://testserver/"}).status_code == 403


def test_the_reading_list_quiz_and_the_sheet_without_the_key(client, built_example) -> None:
    sign_in(client, "lena.nyberg")
    sheet = client.get(FORM + "blad?kunskapstest=1")
    assert sheet.status_code == 200 and '<html lang="sv">' in sheet.text
    assert "<script" not in sheet.text and "correct" not in sheet.text
    quiz = built_example.quizzes["siths-kort"]
    text = visible_text(sheet.text)
    assert quiz.questions[0].text in text
    assert all(c.text in text for c in quiz.questions[0].choices)
    assert "Närvarolista" in text and "Anna Lind" in text and "Kerstin" not in text
    response = record(client, kunskapstest="1", deltagare=["anna.lind"])
    assert response.status_code == 303
    meeting = rows(client, AptMeeting)[0]
    assert meeting.quiz_id == "laslista-hemtjanst"
    assert {d["id"] for d in meeting.documents} >= {"RUT-001", "RUT-002"}


def test_a_meeting_at_renewal_time_records_renewals_and_none_before(
        built_example, database_url, tmp_path) -> None:
    """RUT-001 expires every 12 months here. Anna's acknowledgement expires in 10 days (its
    renewal is owed), Fatima's is a month old: the meeting renews Anna's, from the meeting,
    and leaves Fatima's standing; the receipt says which."""
    site = renewing_site(built_example.site, tmp_path / "site", "RUT-001")
    import_demo_roster(built_example.root, database_url)
    published = load_published(built_example.root, site)
    today = dt.date.today()
    anna_first = add_months(today, -12) + dt.timedelta(days=10)
    fatima_first = today - dt.timedelta(days=30)
    engine = make_engine(database_url)
    try:
        for person_id, day in (("anna.lind", anna_first), ("fatima.ali", fatima_first)):
            with engine.begin() as connection:
                [receipt] = acknowledge(connection, [wanted(
                    published, person_id, "RUT-001", published.documents["RUT-001"].version)],
                    dt.datetime.combine(day, dt.time(12)).astimezone())
                assert receipt.created
    finally:
        engine.dispose()
    with make_client(built_example.root, site, database_url) as client:
        try:
            sign_in(client, "lena.nyberg")
            response = record(client, dokument=["RUT-001"],
                              deltagare=["anna.lind", "fatima.ali"])
            assert response.status_code == 303, response.text
            text = visible_text(client.get(response.headers["location"]).text)
            assert "Registrerad med Lena Nyberg som vittne: 2 deltagare, 1 rutin, 1 ny " \
                   "kvittens (varav 1 förnyelse av en kvittens som skulle förnyas)." in text
            assert f"Fatima Ali: Låna aldrig ut ditt SITHS-kort – kvitterad " \
                   f"{fatima_first.isoformat()}" in text
            assert "Anna Lind: Låna aldrig ut" not in text  # recorded at this meeting
            meeting = rows(client, AptMeeting)[0]
            people = {p.id: p.person_id for p in rows(client, Person)}
            assert sorted((people[a.person_pk], a.renewal, a.source, a.meeting_id)
                          for a in rows(client, Acknowledgement)) == [
                ("anna.lind", 0, "web", None), ("anna.lind", 1, "apt", meeting.id),
                ("fatima.ali", 0, "web", None)]
            sign_in(client, "anna.lind")
            me = client.get("/api/me").json()
            [ack] = [a for a in me["acknowledged"] if a["document_id"] == "RUT-001"]
            assert (ack["source"], ack["meeting_on"], ack["witness"], ack["renewal"]) == \
                ("apt", today.isoformat(), "Lena Nyberg", 1)
            assert "RUT-001" not in {d["document_id"] for d in me["due"]["acknowledgements"]}
        finally:
            client.app.state.engine.dispose()
