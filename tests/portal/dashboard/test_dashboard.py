"""The dashboard /uppfoljning/ on SQLite and PostgreSQL: figures, access, escaping, exports.

The figures are checked against a small roster whose numbers are worked out by hand below.
Active people after the second import (Lars and Olle left):

    unit                 people
    hemtjanst            Hanna (chef, manages it), Anna, Bo
    larm                 Bo (also in hemtjanst), Cissi (systemforvaltare)
    vard-omsorgsboende   Vera (chef, manages it), Dag
    utveckling-stod      Lea (sektorsledning, chef), Sam (samordnare)

Mandatory published routines of the example content and their audiences: RUT-001 alla
(version 2, only version 2 counts), RUT-002 hemtjanst/vard-omsorgsboende/funktionsstod,
RUT-003 hemtjanst/halso-sjukvard, RUT-004 halso-sjukvard/vard-omsorgsboende,
RUT-005 chefer/systemforvaltare (a routine for roles), RUT-006 alla,
RUT-007 hemtjanst/halso-sjukvard/vard-omsorgsboende/larm/edv, RUT-009 alla, RUT-010 alla.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import html
import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import event

from rutinportal.approval.writing import render_snapshot
from rutinportal.content.catalogue import Catalogue
from rutinportal.content.snapshots import read_snapshot
from rutinportal.portal.campaigns.ledger import Count, build_ledger
from rutinportal.portal.dashboard import acknowledgements, approvals, figures
from rutinportal.portal.dashboard import training as nis2
from rutinportal.portal.people import active as roster_people
from rutinportal.portal.dashboard.exports import Table, neutralise, to_csv, to_xlsx
from rutinportal.portal.storage.models import Acknowledgement, QuizAttempt
from rutinportal.portal.access.policy import Scope

from ..support import import_demo_roster, make_client, post, sign_in, take_quiz, \
    visible_text, write_roster

pytestmark = pytest.mark.build

TODAY = dt.date(2026, 11, 28)
ALL = Scope(True, frozenset())
STAYING = [
    ("lea.ledare", "Lea Ledare", "", "utveckling-stod", "sektorsledning|chefer", ""),
    ("sam.samordnare", "Sam Samordnare", "", "utveckling-stod", "samordnare", ""),
    ("hanna.hemchef", "Hanna Hemchef", "", "hemtjanst", "chefer", "hemtjanst"),
    ("vera.vardchef", "Vera Vårdchef", "", "vard-omsorgsboende", "chefer",
     "vard-omsorgsboende"),
    ("anna.andersson", "Anna Andersson", "", "hemtjanst", "", ""),
    ("bo.bengtsson", "Bo Bengtsson", "", "hemtjanst|larm", "", ""),
    ("cissi.carlsson", "Cissi Carlsson", "", "larm", "systemforvaltare", ""),
    ("dag.dahl", "Dag Dahl", "", "vard-omsorgsboende", "", ""),
]
LEAVING = [
    ("lars.lamnat", "Lars Lämnat", "", "hemtjanst", "", ""),
    ("olle.ovan", "Olle Ovan", "", "larm", "chefer", "larm"),
]
ALL_MODULES = ["ledning-1", "ledning-2", "ledning-3", "ledning-4", "ledning-5", "ledning-6"]
# Who acknowledges which routines and passes (or fails) which NIS2 modules, through the API.
ACTIONS = {
    "anna.andersson": (["RUT-001", "RUT-002", "RUT-007"], [], []),
    "bo.bengtsson": (["RUT-001", "RUT-007"], [], []),
    "hanna.hemchef": (["RUT-001", "RUT-005", "RUT-006"], ALL_MODULES, []),
    "vera.vardchef": (["RUT-002"], ["ledning-1", "ledning-2"], ["ledning-3"]),
    "cissi.carlsson": (["RUT-005", "RUT-007"], [], []),
    "lea.ledare": (["RUT-001"], ["ledning-1"], []),
    "dag.dahl": (["RUT-005"], [], []),  # not in RUT-005's audience: counts nowhere
    "lars.lamnat": (["RUT-001", "RUT-002", "RUT-006"], [], []),  # leaves: counts nowhere
    "olle.ovan": (["RUT-005"], ["ledning-1"], []),  # leaves: counts nowhere
}


@pytest.fixture(scope="module")
def example(built_example) -> tuple[Path, Path]:
    return (built_example.root, built_example.site)


def act(client, person_id: str, acknowledge, passes, fails) -> None:
    sign_in(client, person_id)
    documents = client.app.state.portal.published.documents
    for document_id in acknowledge:
        response = post(client, "/api/acknowledgements",
                        {"document_id": document_id, "version": documents[document_id].version})
        assert response.status_code == 201, response.text
    for quiz_id, right in [(q, True) for q in passes] + [(q, False) for q in fails]:
        response = take_quiz(client, quiz_id, right)
        assert response.status_code == 201 and response.json()["passed"] is right


@pytest.fixture
def dashboard(example, database_url, tmp_path):
    """A portal with the roster above, its records, and Lars and Olle gone."""
    root, site = example
    import_demo_roster(root, database_url, write_roster(tmp_path / "forsta.csv",
                                                        STAYING + LEAVING))
    with make_client(root, site, database_url) as client:
        for person_id, (acknowledge, passes, fails) in ACTIONS.items():
            act(client, person_id, acknowledge, passes, fails)
        import_demo_roster(root, database_url, write_roster(tmp_path / "andra.csv", STAYING))
        with client.app.state.portal.session() as session:
            people = roster_people.load_people(session)
            pk = {p.person_id: p.pk for p in people.by_pk.values()}
            # Evidence from before today's versions: must not count.
            session.add(Acknowledgement(person_pk=pk["sam.samordnare"], document_id="RUT-001",
                                        version=1, sha256="0" * 64, source="web"))
            session.add(QuizAttempt(person_pk=pk["vera.vardchef"], quiz_id="ledning-3",
                                    quiz_version=0, document_id="UTB-103", answers={},
                                    score=1.0, passed=True))
            session.commit()
        client.cookies.clear()
        yield client
        client.app.state.engine.dispose()


def compute(client, scope: Scope, today: dt.date = TODAY):
    portal = client.app.state.portal
    published = portal.published
    with portal.session() as session:
        ledger = build_ledger(session, published, today)
        acks = acknowledgements.acknowledgement_rates(ledger, published.organisation, scope)
        training = nis2.management_training(ledger, published, scope)
    pending = approvals.approvals(Catalogue.load(portal.settings.root), today)
    return acks, training, pending


def content(html: str) -> str:
    """What the portal put into the page, without the site's navigation around it."""
    return html.split("<!-- rp-portal-start -->")[1].split("<!-- rp-portal-end -->")[0]


def routine_rates(acks) -> dict[str, tuple[int, int]]:
    return {r.document.id: (r.rate.done, r.rate.total) for r in acks.routines}


def unit_rates(acks) -> dict[tuple[str, str], tuple[int, int]]:
    return {(r.document.id, u.unit.id): (u.rate.done, u.rate.total)
            for r in acks.routines for u in r.units}


# -- the figures ------------------------------------------------------------------------


def test_acknowledgement_rates_for_all_units(dashboard) -> None:
    acks, _, _ = compute(dashboard, ALL)
    assert routine_rates(acks) == {
        "RUT-001": (4, 8),  # all 8 active; Anna, Bo, Hanna, Lea (Sam has only v1; Lars left)
        "RUT-002": (2, 5),  # hemtjanst 3 + vob 2 (Bo's larm does not count); Anna, Vera
        "RUT-003": (0, 3),  # hemtjanst 3
        "RUT-004": (0, 2),  # vob 2
        "RUT-005": (2, 4),  # chefer Hanna, Vera, Lea + systemforvaltare Cissi; Hanna, Cissi
        "RUT-006": (1, 8),  # Hanna (Lars left)
        "RUT-007": (3, 6),  # Hanna, Anna, Bo (once), Cissi, Vera, Dag; Anna, Bo, Cissi
        "RUT-009": (0, 8),
        "RUT-010": (0, 8),
    }
    assert unit_rates(acks) == {
        ("RUT-001", "hemtjanst"): (3, 3), ("RUT-001", "larm"): (1, 2),
        ("RUT-001", "vard-omsorgsboende"): (0, 2), ("RUT-001", "utveckling-stod"): (1, 2),
        ("RUT-002", "hemtjanst"): (1, 3), ("RUT-002", "vard-omsorgsboende"): (1, 2),
        ("RUT-003", "hemtjanst"): (0, 3),
        ("RUT-004", "vard-omsorgsboende"): (0, 2),
        ("RUT-005", "hemtjanst"): (1, 1), ("RUT-005", "larm"): (1, 1),  # Hanna; Cissi
        ("RUT-005", "vard-omsorgsboende"): (0, 1), ("RUT-005", "utveckling-stod"): (0, 1),
        ("RUT-006", "hemtjanst"): (1, 3), ("RUT-006", "larm"): (0, 2),
        ("RUT-006", "vard-omsorgsboende"): (0, 2), ("RUT-006", "utveckling-stod"): (0, 2),
        ("RUT-007", "hemtjanst"): (2, 3), ("RUT-007", "larm"): (2, 2),  # Bo in both
        ("RUT-007", "vard-omsorgsboende"): (0, 2),
        ("RUT-009", "hemtjanst"): (0, 3), ("RUT-009", "larm"): (0, 2),
        ("RUT-009", "vard-omsorgsboende"): (0, 2), ("RUT-009", "utveckling-stod"): (0, 2),
        ("RUT-010", "hemtjanst"): (0, 3), ("RUT-010", "larm"): (0, 2),
        ("RUT-010", "vard-omsorgsboende"): (0, 2), ("RUT-010", "utveckling-stod"): (0, 2),
    }
    assert [(s.unit.id, s.people, s.rate.done, s.rate.total, s.rate.percent)
            for s in acks.units] == [
        # 3+1+0+1+1+2+0+0 = 8 of 3+3+3+1+3+3+3+3 = 22; 800 // 22 = 36
        ("hemtjanst", 3, 8, 22, 36),
        # 0+1+0+0+0+0+0+0 = 1 of 2+2+2+1+2+2+2+2 = 15; 100 // 15 = 6
        ("vard-omsorgsboende", 2, 1, 15, 6),
        # 1+1+0+2+0+0 = 4 of 2+1+2+2+2+2 = 11; 400 // 11 = 36
        ("larm", 2, 4, 11, 36),
        # 1+0+0+0+0 = 1 of 2+1+2+2+2 = 9; 100 // 9 = 11
        ("utveckling-stod", 2, 1, 9, 11),
    ]
    # 4+2+0+0+2+1+3+0+0 = 12 of 8+5+3+2+4+8+6+8+8 = 52 (the units' 57 less Bo's 5 in larm)
    assert (acks.rate.done, acks.rate.total, acks.rate.percent) == (12, 52, 23)
    rut001, rut005 = acks.routine("RUT-001"), acks.routine("RUT-005")
    assert [p.name for p in acks.missing(rut001.unit("vard-omsorgsboende"))] == \
        ["Dag Dahl", "Vera Vårdchef"]
    assert [p.name for p in acks.missing(rut001.unit("utveckling-stod"))] == ["Sam Samordnare"]
    assert acks.missing(rut001.unit("hemtjanst")) == []
    assert [p.name for p in acks.missing(rut005.unit("utveckling-stod"))] == ["Lea Ledare"]
    assert [r.document.id for r, _ in acks.for_unit("larm")] == \
        ["RUT-001", "RUT-005", "RUT-006", "RUT-007", "RUT-009", "RUT-010"]


def test_a_manager_sees_their_units_only(dashboard) -> None:
    acks, training, _ = compute(dashboard, Scope(False, frozenset({"hemtjanst"})))
    assert routine_rates(acks) == {  # RUT-004 has nobody in hemtjanst: not listed
        "RUT-001": (3, 3), "RUT-002": (1, 3), "RUT-003": (0, 3), "RUT-005": (1, 1),
        "RUT-006": (1, 3), "RUT-007": (2, 3), "RUT-009": (0, 3), "RUT-010": (0, 3)}
    assert {u for _, u in unit_rates(acks)} == {"hemtjanst"}
    assert (acks.rate.done, acks.rate.total) == (8, 22)
    assert [(m.person.name, m.rate.done, m.rate.total) for m in training.managers] == \
        [("Hanna Hemchef", 6, 6)]
    acks, training, _ = compute(dashboard, Scope(False, frozenset({"vard-omsorgsboende"})))
    # 0+1+0+0+0+0+0+0 = 1 of 2+2+2+1+2+2+2+2 = 15
    assert (acks.rate.done, acks.rate.total, acks.rate.percent) == (1, 15, 6)
    assert (training.rate.done, training.rate.total) == (0, 1)  # Vera: 2 of 6 modules
    # Olle managed larm and left; Bo and Cissi are not managers.
    _, training, _ = compute(dashboard, Scope(False, frozenset({"larm"})))
    assert training.managers == []


def test_nis2_training_of_managers(dashboard) -> None:
    _, training, _ = compute(dashboard, ALL)
    assert [m.id for m in training.modules] == [f"UTB-10{n}" for n in range(1, 7)]
    assert [(m.person.name, m.rate.done, m.rate.total, [d.id for d in m.missing])
            for m in training.managers] == [
        ("Hanna Hemchef", 6, 6, []),
        # ledning-1 only
        ("Lea Ledare", 1, 6, ["UTB-102", "UTB-103", "UTB-104", "UTB-105", "UTB-106"]),
        # ledning-1 and -2; -3 failed now, passed only at an old quiz version
        ("Vera Vårdchef", 2, 6, ["UTB-103", "UTB-104", "UTB-105", "UTB-106"]),
    ]  # Olle passed ledning-1 and left: not listed
    assert (training.rate.done, training.rate.total, training.rate.percent) == (1, 3, 33)


def test_approvals_and_the_summary(dashboard) -> None:
    acks, training, pending = compute(dashboard, ALL)
    # RUT-008 was submitted 2026-08-31: 30 + 31 + 28 = 89 days on 2026-11-28; RUT-004 and
    # RUT-011 to the leadership group (first by its name) 2026-10-26 and 2026-11-18.
    assert [(p.id, p.days_waiting) for p in pending.waiting] == [
        ("RUT-004", 33), ("RUT-011", 10), ("RUT-008", 89)]
    # RUT-004 (v1, its version 2 waits for a decision) was approved 2025-09-15 for 12 months:
    # review 2026-09-15, 15 + 31 + 28 = 74 days ago. RUT-005, approved the same day, is
    # overdue too on this day: its version 2 (the review) was decided a day later, 2026-11-29,
    # and the figures of a day count the versions in force that day.
    assert [(p.id, p.next_review, p.days_overdue, p.decision) for p in pending.overdue] == [
        ("RUT-004", dt.date(2026, 9, 15), 74, "LG U&S 2025-09-15 § 7"),
        ("RUT-005", dt.date(2026, 9, 15), 74, "LG U&S 2025-09-15 § 7")]
    assert figures.summarise(acks, training, pending) == figures.Summary(
        Count(12, 52), Count(1, 3), waiting=3, longest_wait=89, overdue=2)


def test_figures_take_a_fixed_number_of_queries(dashboard) -> None:
    engine = dashboard.app.state.engine
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        first = compute(dashboard, ALL)
        at_first = len(statements)
        again = compute(dashboard, ALL)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # Never one per person or routine. The first time: the highest acknowledgement id and the
    # acknowledgements up to it, passed attempts, the roster's fingerprint, people,
    # memberships, exceptions (expiring records only when a routine renews: none here).
    assert at_first == 7, statements
    # Then only what may have changed: acknowledgements above the highest seen, passed
    # attempts, the roster's fingerprint, exceptions; nothing has, so the same ledger.
    assert len(statements) - at_first == 4, statements[at_first:]
    assert again[0].ledger is first[0].ledger


# -- the pages --------------------------------------------------------------------------


def test_the_overview_answers_how_we_are_doing(dashboard) -> None:
    sign_in(dashboard, "lea.ledare")
    response = dashboard.get("/uppfoljning/")
    assert response.status_code == 200
    assert "no-store" in response.headers["cache-control"]
    text = visible_text(response.text)
    days = (dt.date.today() - dt.date(2026, 8, 31)).days
    assert "Du ser alla enheter." in text
    assert "23 % av de obligatoriska rutinerna är kvitterade (12 av 52 kvittenser)." in text
    assert "1 av 3 chefer har genomfört hela NIS2-utbildningen för ledningen." in text
    assert f"3 dokument väntar på beslut, det som väntat längst i {days} dagar." in text
    assert "Låna aldrig ut ditt SITHS-kort RUT-001 4 av 8 50 %" in text
    assert "Behörigheter till gemensamma mappar (O:) RUT-005 2 av 4 50 %" in text
    assert "Hemtjänst 3 8 av 22 36 %" in text
    assert "Vera Vårdchef Vård- och omsorgsboende 2 av 6 33 %" in text
    assert "Säkerhetskontroll innan vi köper ett IT-system RUT-008" in text
    assert 'style="width: 50%"' in response.text  # the bar, next to its value in text
    assert 'class="rp-bar" aria-hidden="true"' in response.text
    assert "<script" not in content(response.text)


def test_a_unit_page_shows_attempts_until_pass(dashboard) -> None:
    sign_in(dashboard, "anna.andersson")
    for right in (False, False, True):
        assert take_quiz(dashboard, "siths-kort", right).json()["passed"] is right
    sign_in(dashboard, "bo.bengtsson")
    assert take_quiz(dashboard, "siths-kort", False).status_code == 201
    sign_in(dashboard, "hanna.hemchef")
    text = visible_text(content(dashboard.get("/uppfoljning/enheter/hemtjanst/").text))
    assert "Kunskapstest: försök till godkänt" in text
    assert "Anna Andersson Kunskapstest: SITHS-kortet 3 godkänt på försök 3" in text
    assert "Bo Bengtsson Kunskapstest: SITHS-kortet 1 inte godkänt efter 1 försök" in text
    assert "Vera Vårdchef" not in text  # another unit's
    rows = read_csv(dashboard.get("/uppfoljning/export.csv?tabell=kunskapstest"))
    assert ["Anna Andersson", "anna.andersson", "Hemtjänst", "Kunskapstest: SITHS-kortet",
            "siths-kort", "3", "3", "ja"] in rows


def test_drill_downs_name_who_is_missing(dashboard) -> None:
    # Everybody joined the roster today: each has the 30 days of organisation.yml from today.
    due = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    sign_in(dashboard, "sam.samordnare")
    text = visible_text(dashboard.get("/uppfoljning/rutiner/RUT-001/").text)
    assert "Kvitterat: 4 av 8 (50 %). Försenade: 0." in text
    assert f"Vård- och omsorgsboende – 2 av 2 saknas Dag Dahl – senast {due} " \
           f"Vera Vårdchef – senast {due}" in text
    assert "Hemtjänst – 0 av 3 saknas ✓ Alla har kvitterat." in text
    text = visible_text(dashboard.get("/uppfoljning/enheter/larm/").text)
    assert "2 aktiva medarbetare. Kvitterat: 4 av 11 kvittenser (36 %)." in text
    assert "Behörigheter till gemensamma mappar (O:) – 0 av 1 saknas ✓" in text
    assert "Rapportera en informationssäkerhetsincident – 2 av 2 saknas Bo Bengtsson – " \
           f"senast {due} Cissi Carlsson – senast {due}" in text
    missing = dashboard.get("/uppfoljning/rutiner/RUT-008/")
    assert missing.status_code == 404
    assert "RUT-008 är inte en publicerad obligatorisk rutin." in visible_text(missing.text)
    assert dashboard.get("/uppfoljning/enheter/finns-inte/").status_code == 404


def test_who_may_see_what(dashboard) -> None:
    paths = ["/uppfoljning/", "/uppfoljning/rutiner/RUT-001/",
             "/uppfoljning/enheter/hemtjanst/", "/uppfoljning/enheter/larm/",
             "/uppfoljning/export.csv?tabell=saknas", "/uppfoljning/export.xlsx"]
    expected = {
        None: [401] * 6,
        "anna.andersson": [403] * 6,
        "bo.bengtsson": [403] * 6,  # two units, no manager
        "hanna.hemchef": [200, 200, 200, 403, 200, 200],
        "vera.vardchef": [200, 200, 403, 403, 200, 200],
        "lea.ledare": [200] * 6,
        "sam.samordnare": [200] * 6,
    }
    for person_id, statuses in expected.items():
        dashboard.cookies.clear()
        if person_id:
            sign_in(dashboard, person_id)
        got = [dashboard.get(path).status_code for path in paths]
        assert got == statuses, person_id
    sign_in(dashboard, "anna.andersson")
    refused = dashboard.get("/uppfoljning/")
    assert "Uppföljningen är till för chefer, DISK, sektorsledningen och " \
           "informationssäkerhetssamordnaren." in visible_text(refused.text)
    sign_in(dashboard, "hanna.hemchef")
    assert "Du kan bara följa upp de enheter du är chef eller DISK för." in \
        visible_text(dashboard.get("/uppfoljning/enheter/larm/").text)
    overview = visible_text(content(dashboard.get("/uppfoljning/").text))
    assert "Du ser de enheter du är chef för: Hemtjänst." in overview
    assert "Larm" not in overview and "Vera" not in overview
    routine = visible_text(content(dashboard.get("/uppfoljning/rutiner/RUT-001/").text))
    assert "Kvitterat: 3 av 3 (100 %)." in routine
    assert "Cissi" not in routine and "Dag Dahl" not in routine
    rows = read_csv(dashboard.get("/uppfoljning/export.csv?tabell=enheter"))
    assert rows == [["Enhet", "Medarbetare", "Kvitterat", "Saknas", "Krävda kvittenser",
                     "Andel (%)"], ["Hemtjänst", "3", "8", "14", "22", "36"]]
    missing = read_csv(dashboard.get("/uppfoljning/export.csv?tabell=saknas"))
    assert {row[2] for row in missing[1:]} == {"Hemtjänst"}
    workbook = read_xlsx(dashboard.get("/uppfoljning/export.xlsx"))
    assert [r[0] for r in workbook["Enheter"].iter_rows(min_row=2, values_only=True)] == \
        ["Hemtjänst"]
    assert [r[0] for r in workbook["NIS2-utbildning"].iter_rows(min_row=2, values_only=True)] \
        == ["Hanna Hemchef"]


# -- the exports ------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(response) -> openpyxl.Workbook:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert response.headers["content-disposition"].startswith('attachment; filename="')
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_csv_exports(dashboard) -> None:
    sign_in(dashboard, "lea.ledare")
    response = dashboard.get("/uppfoljning/export.csv?tabell=rutiner")
    assert response.headers["content-disposition"] == \
        f'attachment; filename="uppfoljning-rutiner-{dt.date.today()}.csv"'
    rows = read_csv(response)
    assert rows[0] == ["Id", "Rutin", "Kvitterat", "Saknas", "Antal i målgruppen", "Andel (%)"]
    assert rows[1] == ["RUT-001", "Låna aldrig ut ditt SITHS-kort", "4", "4", "8", "50"]
    assert b"\r\nRUT-002;" in response.content
    training = read_csv(dashboard.get("/uppfoljning/export.csv?tabell=utbildning"))
    assert training[0] == ["Chef", "Personid", "Enhet", "Chef för", "Moduler klara",
                           "Antal moduler", "Andel (%)", "Saknas"]
    assert training[3][:7] == ["Vera Vårdchef", "vera.vardchef", "Vård- och omsorgsboende",
                               "Vård- och omsorgsboende", "2", "6", "33"]
    decisions = read_csv(dashboard.get("/uppfoljning/export.csv?tabell=beslut"))
    assert decisions[0][:5] == ["Id", "Dokument", "Ärende", "Status", "Väntat (dagar)"]
    assert decisions[3][:4] == ["RUT-008", "Säkerhetskontroll innan vi köper ett IT-system",
                                "Väntar på beslut", "Väntar på beslut"]
    missing = read_csv(dashboard.get("/uppfoljning/export.csv?tabell=saknas"))
    assert missing[0][5:] == ["Senast", "Försenad (dagar)", "Undantag"]
    due = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    assert ["RUT-001", "Låna aldrig ut ditt SITHS-kort", "Larm och trygghetstjänster",
            "Cissi Carlsson", "cissi.carlsson", due, "0", ""] in missing
    # per unit (22-8) + (15-1) + (11-4) + (9-1) = 43: the routines' 52-12 = 40, and Bo's
    # RUT-006, -009 and -010 once more in larm
    assert len(missing) - 1 == 43
    unknown = dashboard.get("/uppfoljning/export.csv?tabell=hemligt")
    assert unknown.status_code == 404
    assert "Tabellen 'hemligt' finns inte." in html.unescape(content(unknown.text))


def test_the_workbook(dashboard) -> None:
    sign_in(dashboard, "lea.ledare")
    workbook = read_xlsx(dashboard.get("/uppfoljning/export.xlsx"))
    assert workbook.sheetnames == ["Rutiner", "Enheter", "NIS2-utbildning", "Saknar kvittens",
                                   "Beslut och översyn", "Kunskapstest", "Genomgångar på APT"]
    sheet = workbook["Rutiner"]
    assert [c.value for c in sheet[1]] == ["Id", "Rutin", "Kvitterat", "Saknas",
                                           "Antal i målgruppen", "Andel (%)"]
    assert all(c.font.bold for c in sheet[1]) and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["RUT-007"] == ("RUT-007", "När IT inte fungerar – reservrutiner vid avbrott",
                               3, 3, 6, 50)
    waiting = list(workbook["Beslut och översyn"].iter_rows(min_row=2, values_only=True))
    assert waiting[2][0] == "RUT-008" and isinstance(waiting[2][4], int)
    sheet = workbook["Kunskapstest"]
    assert [c.value for c in sheet[1]] == ["Namn", "Personid", "Enhet", "Kunskapstest", "Id",
                                           "Försök", "Försök till godkänt", "Godkänt"]
    attempts = {(r[1], r[4]): r[5:] for r in sheet.iter_rows(min_row=2, values_only=True)}
    # One attempt each; the attempt at an older version of ledning-3 does not count.
    assert attempts[("vera.vardchef", "ledning-1")] == (1, 1, True)
    assert attempts[("vera.vardchef", "ledning-3")] == (1, None, False)
    assert ("olle.ovan", "ledning-1") not in attempts  # left: counts nowhere


# -- output safety ----------------------------------------------------------------------

EVIL = [
    ("lea.ledare", "Lea Ledare", "", "utveckling-stod", "sektorsledning", ""),
    ("xss.skript", "<script>alert(1)</script>", "", "hemtjanst", "chefer", "hemtjanst"),
    ("xss.citat", '"quotes" & <b>', "", "hemtjanst", "chefer", ""),
    ("formel.lank", '=HYPERLINK("http://x")', "", "hemtjanst", "chefer", ""),
    ("formel.plus", "+1", "", "hemtjanst", "", ""),
    ("formel.minus", "-1", "", "hemtjanst", "", ""),
    ("formel.snabel", "@SUM(A1)", "", "hemtjanst", "", ""),
]
EVIL_TITLE = '<script>alert("titel")</script> & "x"'
EVIL_DECISION = '<img src=x onerror=alert(1)> & "beslut"'


@pytest.fixture
def evil(example, database_url, tmp_path):
    """Names, a title and a decision written to break out of HTML or run as formulas."""
    root, site = example
    copy = tmp_path / "repo"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", "var", ".rutinportal-*"))
    submitted = copy / "routines/sakerhetskontroll-it-inkop.md"
    submitted.write_text(submitted.read_text(encoding="utf-8").replace(
        "title: Säkerhetskontroll innan vi köper ett IT-system",
        f"title: '{EVIL_TITLE}'"), encoding="utf-8")
    # Approved with that decision (RUT-004's published version, shown as an overdue review): a
    # snapshot edited by hand would be refused.
    frozen, problems = read_snapshot(copy / "approved/RUT-004/v1.md", copy)
    assert not problems
    text, _ = render_snapshot(frozen.content, dataclasses.replace(
        frozen.approval, decision=EVIL_DECISION), frozen.source, frozen.body, frozen.quiz_text)
    frozen.path.write_text(text, encoding="utf-8")
    import_demo_roster(copy, database_url, write_roster(tmp_path / "personal.csv", EVIL))
    with make_client(copy, site, database_url) as client:
        published = client.app.state.portal.published
        published.documents["RUT-006"] = dataclasses.replace(
            published.documents["RUT-006"], title='<i>Incident</i> & "rapport"')
        sign_in(client, "lea.ledare")
        yield client
        client.app.state.engine.dispose()


def test_names_titles_and_decisions_are_escaped_on_every_page(evil) -> None:
    for path in ["/uppfoljning/", "/uppfoljning/rutiner/RUT-006/",
                 "/uppfoljning/enheter/hemtjanst/"]:
        page = content(evil.get(path).text)
        assert "<script" not in page and "<b>" not in page and "<i>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, path
        assert "&#34;quotes&#34; &amp; &lt;b&gt;" in page, path
        assert "&lt;i&gt;Incident&lt;/i&gt; &amp; &#34;rapport&#34;" in page, path
    overview = evil.get("/uppfoljning/").text
    assert "&lt;script&gt;alert(&#34;titel&#34;)&lt;/script&gt; &amp; &#34;x&#34;" in overview
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &#34;beslut&#34;" in overview
    assert "<img src=x" not in overview


def test_exports_cannot_run_formulas(evil) -> None:
    missing = read_csv(evil.get("/uppfoljning/export.csv?tabell=saknas"))
    names = {row[3] for row in missing[1:] if row[0] == "RUT-001"}
    assert {"'=HYPERLINK(\"http://x\")", "'+1", "'-1", "'@SUM(A1)",
            "<script>alert(1)</script>"} <= names
    training = read_csv(evil.get("/uppfoljning/export.csv?tabell=utbildning"))
    assert "'=HYPERLINK(\"http://x\")" in [row[0] for row in training]
    workbook = read_xlsx(evil.get("/uppfoljning/export.xlsx"))
    cells = [c for sheet in workbook for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert {"'=HYPERLINK(\"http://x\")", "'+1", "'-1", "'@SUM(A1)"} <= values
    assert "=HYPERLINK(\"http://x\")" not in values
    rows = {r[0]: r for r in workbook["Rutiner"].iter_rows(min_row=2, values_only=True)}
    # alla: the 7 people of the roster, nobody has acknowledged
    assert rows["RUT-001"][2:] == (0, 7, 7, 0)


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-1", "'-1"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("Anna Lind", "Anna Lind"), ("1-2", "1-2"), ("", ""), (-1, -1), (None, None),
])
def test_neutralise(value, expected) -> None:
    assert neutralise(value) == expected


def test_writers_keep_numbers_as_numbers() -> None:
    table = Table("Prov", ("Namn", "Andel (%)", "Datum"),
                  [("-1", -1, dt.date(2026, 1, 2)), ("=1+1", 12, None)])
    assert to_csv(table).decode("utf-8") == \
        "\ufeffNamn;Andel (%);Datum\r\n'-1;-1;2026-01-02\r\n'=1+1;12;\r\n"
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx([table])))["Prov"]
    assert [c.value for c in sheet[2]][:2] == ["'-1", -1]
    assert sheet["A3"].value == "'=1+1" and sheet["A3"].data_type == "s"
    with pytest.raises(ValueError, match="Expected an Excel sheet name"):
        Table("Rutiner/enheter", ("A",))
