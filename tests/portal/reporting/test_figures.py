"""The annual report's figures on SQLite and PostgreSQL: for the current year they equal what
the dashboard shows today (its own functions and page), and on past days — each quarter's end,
last year's end — they count what had been recorded by then, with the roster of then."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from sqlalchemy import select, update

from rutinportal.content.catalogue import Catalogue
from rutinportal.content.documents import Kind
from rutinportal.portal.access.policy import Scope
from rutinportal.portal.dashboard.figures import figures
from rutinportal.portal.dashboard.tables import export_tables
from rutinportal.portal.reporting.figures import annual_report, quarter_days
from rutinportal.portal.reporting.tables import report_tables
from rutinportal.portal.storage.models import Acknowledgement, Membership, Person

from ..evidence.conftest import seed, session_on
from ..support import make_client, sign_in, visible_text

pytestmark = pytest.mark.build
TODAY = dt.date.today()
ALL = Scope(True, frozenset())


@pytest.fixture
def client(built_example, database_url, tmp_path):
    seed(built_example.root, built_example.site, database_url, tmp_path)
    with make_client(built_example.root, built_example.site, database_url) as client:
        yield client
        client.app.state.engine.dispose()


def by_key(report) -> dict:
    return {t.key: t for tables in report_tables(report).values() for t in tables}


def test_this_years_figures_are_the_dashboards_today(client, built_example) -> None:
    portal = client.app.state.portal
    catalogue = Catalogue.load(built_example.root)
    with portal.session() as session:
        report = annual_report(session, portal.published, catalogue, TODAY.year, TODAY)
        dashboard = figures(session, portal.published, catalogue, ALL, TODAY)
    tables = by_key(report)
    exported = export_tables(dashboard, portal.published.organisation.name, [], [])
    assert report.end == TODAY
    # Acknowledgements per routine: the report's "Alla enheter" rows are the dashboard's.
    totals = [(r[0], r[3], r[4], r[5]) for r in tables["kvittenser-rutin-enhet"].rows
              if r[2] == "Alla enheter"]
    assert totals == [(r[0], r[2], r[4], r[5]) for r in exported["rutiner"].rows]
    assert sum(t[1] for t in totals) == 6  # every acknowledgement of the seed counts
    # Per unit and in total, the last column (today) is the dashboard's share.
    last = {r[0]: r[-1] for r in tables["kvittenser-enhet-kvartal"].rows}
    assert {r[0]: r[5] for r in exported["enheter"].rows} == \
        {k: v for k, v in last.items() if k != "Alla enheter"}
    assert last["Alla enheter"] == dashboard.summary.acknowledgements.percent
    # The NIS2 course: the same managers, the same count.
    nis2 = tables["nis2"].rows[-1]
    assert nis2[0] == "Alla enheter"
    assert (nis2[1], nis2[2], nis2[3]) == (dashboard.training.rate.total,
                                           dashboard.training.rate.done,
                                           dashboard.training.rate.percent)
    assert dashboard.training.rate.done == 0 and dashboard.training.rate.total == 15
    # Reviews overdue and documents waiting: as the dashboard lists them.
    assert [r[0] for r in tables["oversyn"].rows] == \
        [r[0] for r in exported["beslut"].rows if r[2] == "Försenad översyn"]
    assert sorted((r[0], r[6], r[7]) for r in tables["vantar"].rows) == \
        sorted((p.id, p.days_waiting, p.rounds) for p in dashboard.approvals.waiting)
    # And what the page itself says.
    sign_in(client, "karin.ostberg")
    page = visible_text(html.unescape(client.get("/uppfoljning/").text))
    rate = report.at_end.figures.acknowledgements.rate
    assert f"{rate.percent} % av de obligatoriska rutinerna är kvitterade ({rate.done} av " \
           f"{rate.total} kvittenser)" in page


def test_past_days_count_what_was_recorded_then_with_the_roster_of_then(
        client, built_example, database_url) -> None:
    """Everybody on the roster since 5 January, David Berg only since 1 June, Per Holm left
    today. Karin acknowledged RUT-001 (version 2, approved 2 March) on 10 March, Anna on 10 May,
    Fatima RUT-006 on 1 August."""
    if TODAY < dt.date(2026, 10, 1):
        pytest.fail("the example content's decisions are of 2026: run this from October 2026")
    day = {name: dt.datetime(2026, *md, 9, tzinfo=dt.timezone.utc) for name, md in
           {"roster": (1, 5), "david": (6, 1), "karin": (3, 10), "anna": (5, 10),
            "fatima": (8, 1)}.items()}
    with session_on(database_url) as session:
        pk = {p.person_id: p.id for p in session.scalars(select(Person))}
        session.execute(update(Person).values(created_at=day["roster"]))
        session.execute(update(Membership).values(since=day["roster"]))
        session.execute(update(Person).where(Person.id == pk["david.berg"])
                        .values(created_at=day["david"]))
        session.execute(update(Membership).where(Membership.person_pk == pk["david.berg"])
                        .values(since=day["david"]))
        for person, document in (("karin", "RUT-001"), ("anna", "RUT-001"),
                                 ("fatima", "RUT-006")):
            person_id = {"karin": "karin.ostberg", "anna": "anna.lind",
                         "fatima": "fatima.ali"}[person]
            session.execute(update(Acknowledgement).where(
                Acknowledgement.person_pk == pk[person_id],
                Acknowledgement.document_id == document).values(acknowledged_at=day[person]))
        session.commit()
    portal = client.app.state.portal
    catalogue = Catalogue.load(built_example.root)
    with portal.session() as session:
        report = annual_report(session, portal.published, catalogue, 2026, TODAY)
        last_year = annual_report(session, portal.published, catalogue, 2025, TODAY)
    quarters = dict(report.quarters)
    assert [label for label, _ in report.quarters[:3]] == ["Kv. 1", "Kv. 2", "Kv. 3"]

    def rate(label: str, document_id: str):
        routine = quarters[label].figures.acknowledgements.routine(document_id)
        return None if routine is None else (routine.rate.done, routine.rate.total)

    # RUT-001 reaches everybody: 62 at the end of March (David not yet, Per still there).
    assert rate("Kv. 1", "RUT-001") == (1, 62)
    assert rate("Kv. 2", "RUT-001") == (2, 63)
    assert rate("Kv. 3", "RUT-001") == (2, 63)
    assert rate("Kv. 1", "RUT-006") == (0, 62) and rate("Kv. 3", "RUT-006") == (1, 63)
    # RUT-003 was gone through at today's workplace meeting: not before.
    assert rate("Kv. 3", "RUT-003")[0] == 0
    assert quarters["Kv. 1"].day == dt.date(2026, 3, 31)
    assert quarters["Kv. 1"].published.documents["RUT-001"].version == 2
    # Last year: RUT-001 version 1, RUT-004 and RUT-005 published; nobody on the roster yet.
    assert last_year.complete and last_year.end == dt.date(2025, 12, 31)
    assert last_year.published[Kind.ROUTINE] == 3
    assert last_year.at_end.figures.acknowledgements.rate.total == 0
    assert [(d.id, d.days) for d in last_year.decided] == [
        ("RUT-001", 105), ("RUT-004", 105), ("RUT-005", 105), ("RUT-012", 105)]
    assert (last_year.decision_times.median, last_year.decision_times.longest) == (105, 105)
    assert [w.id for w in last_year.waiting] == []
    assert [label for label, _ in last_year.quarters] == ["Kv. 1", "Kv. 2", "Kv. 3", "Kv. 4"]


def test_quarters_are_the_ends_of_the_begun_quarters() -> None:
    assert quarter_days(2026, dt.date(2026, 5, 3)) == [
        ("Kv. 1", dt.date(2026, 3, 31)), ("Kv. 2 (t.o.m. 2026-05-03)", dt.date(2026, 5, 3))]
    assert [d for _, d in quarter_days(2025, dt.date(2026, 5, 3))] == [
        dt.date(2025, 3, 31), dt.date(2025, 6, 30), dt.date(2025, 9, 30),
        dt.date(2025, 12, 31)]
    assert quarter_days(2026, dt.date(2026, 1, 1)) == [
        ("Kv. 1 (t.o.m. 2026-01-01)", dt.date(2026, 1, 1))]
