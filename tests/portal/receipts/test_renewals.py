"""Renewals of an unchanged version, on SQLite and PostgreSQL: a routine that expires
(`renew_months`) gets a new record, renewal + 1, once its renewal window has opened, and
only then; a double click or two processes racing still make one; a routine that does not
expire keeps its one record forever. Through the real portal: `/api/me` and the
acknowledgement answer before and after."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import event, select

from rutinportal.content.publications import add_months
from rutinportal.portal.campaigns.ledger import build_ledger, compute_ledger
from rutinportal.portal.campaigns.records import latest_records
from rutinportal.portal.campaigns.rules import Circumstances, State, assess
from rutinportal.portal.published import load_published
from rutinportal.portal.receipts.acknowledgements import record, wanted, writer
from rutinportal.portal.storage.db import make_engine
from rutinportal.portal.storage.models import Acknowledgement, Person
from rutinportal.portal.storage.moments import local_day

from ..support import import_demo_roster, make_client, post, renewing_site, sign_in

pytestmark = pytest.mark.build

RENEWING = "RUT-001"  # renewed every 12 months in these tests (the catalog says so)
D = dt.date(2026, 12, 7)  # the first acknowledgement


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    """A moment of `day` where the portal runs (the day records count by)."""
    return dt.datetime.combine(day, dt.time(hour)).astimezone()


@pytest.fixture(scope="module")
def published(built_example, tmp_path_factory):
    site = renewing_site(built_example.site, tmp_path_factory.mktemp("renewing"), RENEWING)
    return load_published(built_example.root, site)


@pytest.fixture
def people(built_example, database_url, session) -> dict[str, int]:
    import_demo_roster(built_example.root, database_url)
    return {p.person_id: p.id for p in session.scalars(select(Person))}


def ask(published, person_id: str = "anna.lind", document_id: str = RENEWING):
    return wanted(published, person_id, document_id, published.documents[document_id].version)


def acknowledge(engine, items, moment):
    with engine.begin() as connection:
        return record(connection, items, moment)


def stored(session, pk: int, document_id: str = RENEWING) -> list[tuple[int, dt.date]]:
    session.expire_all()
    return [(a.renewal, local_day(a.acknowledged_at)) for a in session.scalars(
        select(Acknowledgement).where(Acknowledgement.person_pk == pk,
                                      Acknowledgement.document_id == document_id)
        .order_by(Acknowledgement.renewal))]


def test_a_renewal_is_recorded_when_its_window_opens_and_not_a_day_before(
        engine, session, people, published) -> None:
    anna = people["anna.lind"]
    document = published.documents[RENEWING]
    assert (document.renew_months, document.due_days) == (12, 30)
    expires = add_months(D, 12)
    opens = expires - dt.timedelta(days=document.due_days)  # D + 12 months − due_days
    assert ask(published).renewing is not None

    [first] = acknowledge(engine, [ask(published)], at(D))
    assert first.created and first.renewal == 0
    [before] = acknowledge(engine, [ask(published)], at(opens - dt.timedelta(days=1)))
    assert not before.created and before.renewal == 0
    assert before.acknowledged_at.replace(tzinfo=None) == \
        first.acknowledged_at.replace(tzinfo=None)
    assert stored(session, anna) == [(0, D)]
    ledger = compute_ledger(session, published, opens - dt.timedelta(days=1), only={anna})
    assert ledger.obligation(ledger.requirement(RENEWING), anna) is None  # done, valid

    # The window is open: owed again, due the day it expires; acknowledging renews it.
    ledger = compute_ledger(session, published, opens, only={anna})
    owed = ledger.obligation(ledger.requirement(RENEWING), anna)
    assert (owed.state, owed.due, owed.valid_until, owed.renewal) == \
        (State.OPEN, expires, expires, True)
    [renewed] = acknowledge(engine, [ask(published)], at(opens))
    assert renewed.created and renewed.renewal == 1
    assert stored(session, anna) == [(0, D), (1, opens)]
    requirement = compute_ledger(session, published, opens, only={anna}) \
        .requirement(RENEWING)
    latest = latest_records(session, [requirement], only={anna})[(requirement.key, anna)]
    done = assess(requirement, latest, Circumstances(D), opens)
    assert (latest, done.state, done.valid_until) == (opens, State.DONE, add_months(opens, 12))
    ledger = build_ledger(session, published, opens)  # the portal's kept ledger
    assert ledger.obligation(ledger.requirement(RENEWING), anna) is None
    assert anna in ledger.valid[ledger.requirement(RENEWING).key]
    fresh = compute_ledger(session, published, add_months(opens, 12) - dt.timedelta(days=31),
                           only={anna})
    assert fresh.obligation(fresh.requirement(RENEWING), anna) is None  # still settled
    owed = compute_ledger(session, published, add_months(opens, 12) - dt.timedelta(days=30),
                          only={anna})
    owed = owed.obligation(owed.requirement(RENEWING), anna)
    assert (owed.state, owed.valid_until) == (State.OPEN, add_months(opens, 12))

    # The same day again, and later before the next window: the renewal stands.
    for day in (opens, add_months(opens, 12) - dt.timedelta(days=31)):
        [again] = acknowledge(engine, [ask(published)], at(day, 16))
        assert (again.created, again.renewal) == (False, 1)
        assert again.acknowledged_at.replace(tzinfo=None) == \
            renewed.acknowledged_at.replace(tzinfo=None)
    assert stored(session, anna) == [(0, D), (1, opens)]
    # Expired, long after: the next renewal.
    [late] = acknowledge(engine, [ask(published)], at(add_months(opens, 15)))
    assert (late.created, late.renewal) == (True, 2)


def test_a_routine_that_does_not_expire_keeps_its_one_record(engine, session, people,
                                                             published) -> None:
    anna = people["anna.lind"]
    assert published.documents["RUT-002"].renew_months is None
    assert ask(published, document_id="RUT-002").renewing is None
    [first] = acknowledge(engine, [ask(published, document_id="RUT-002")], at(D))
    for years in (1, 5, 30):
        [again] = acknowledge(engine, [ask(published, document_id="RUT-002")],
                              at(add_months(D, 12 * years)))
        assert (again.created, again.renewal) == (False, 0)
        assert again.acknowledged_at.replace(tzinfo=None) == \
            first.acknowledged_at.replace(tzinfo=None)
    assert stored(session, anna, "RUT-002") == [(0, D)]


def test_a_double_click_on_the_renewal_day_makes_one_renewal(engine, session, people,
                                                             published) -> None:
    anna, fatima = people["anna.lind"], people["fatima.ali"]
    opens = add_months(D, 12) - dt.timedelta(days=30)
    acknowledge(engine, [ask(published), ask(published, "fatima.ali")], at(D))
    # One batch: both clicks of Anna, one of Fatima's.
    first, double, other = acknowledge(
        engine, [ask(published), ask(published), ask(published, "fatima.ali")], at(opens))
    assert [(r.created, r.renewal) for r in (first, double, other)] == \
        [(True, 1), (False, 1), (True, 1)]
    assert stored(session, anna) == [(0, D), (1, opens)]
    assert stored(session, fatima) == [(0, D), (1, opens)]


def test_concurrent_requests_on_the_renewal_day_share_one_renewal(engine, session, people,
                                                                  published) -> None:
    """Through the process's writer, fifty requests at once (today, in the window)."""
    anna = people["anna.lind"]
    today = dt.date.today()
    first = add_months(today, -12) + dt.timedelta(days=10)  # expires in 10 days
    acknowledge(engine, [ask(published)], at(first))
    acks = writer(engine)

    async def burst():
        return await asyncio.gather(*(acks.submit(ask(published)) for _ in range(50)))

    try:
        receipts = asyncio.run(burst())
    finally:
        acks.close()
    assert sum(r.created for r in receipts) == 1 and {r.renewal for r in receipts} == {1}
    assert stored(session, anna) == [(0, first), (1, today)]


def test_two_processes_racing_on_the_renewal_day_make_one_renewal(engine, database_url,
                                                                  session, people,
                                                                  published) -> None:
    """Both read the latest record (renewal 0) before either writes: the second to write
    finds renewal 1 there (the unique constraint) and is answered with it."""
    anna = people["anna.lind"]
    opens = add_months(D, 12) - dt.timedelta(days=30)
    acknowledge(engine, [ask(published)], at(D))
    other = make_engine(database_url)  # another process's engine
    raced: list = []

    def the_other_writes_first(connection, cursor, statement, *args):
        if statement.startswith("INSERT INTO acknowledgements") and not raced:
            raced.append(acknowledge(other, [ask(published)], at(opens, 9)))

    event.listen(engine, "before_cursor_execute", the_other_writes_first)
    try:
        [ours] = acknowledge(engine, [ask(published)], at(opens, 10))
    finally:
        event.remove(engine, "before_cursor_execute", the_other_writes_first)
        other.dispose()
    [theirs] = raced[0]
    assert (theirs.created, theirs.renewal) == (True, 1)
    assert (ours.created, ours.renewal) == (False, 1)
    assert ours.acknowledged_at.replace(tzinfo=None) == \
        theirs.acknowledged_at.replace(tzinfo=None)
    assert stored(session, anna) == [(0, D), (1, opens)]


def test_the_portal_renews_once_and_shows_the_newest(built_example, database_url, tmp_path,
                                                     published) -> None:
    site = renewing_site(built_example.site, tmp_path / "site", RENEWING)
    import_demo_roster(built_example.root, database_url)
    today = dt.date.today()
    first = add_months(today, -12) + dt.timedelta(days=10)
    expires = add_months(first, 12)
    engine = make_engine(database_url)
    try:
        acknowledge(engine, [ask(published)], at(first))
    finally:
        engine.dispose()
    version = published.documents[RENEWING].version
    with make_client(built_example.root, site, database_url) as client:
        try:
            sign_in(client, "anna.lind")
            me = client.get("/api/me").json()
            [due] = [d for d in me["due"]["acknowledgements"] if d["document_id"] == RENEWING]
            assert (due["reason"], due["due_on"], due["valid_until"], due["overdue"]) == \
                ("förnyas", expires.isoformat(), expires.isoformat(), False)
            [mine] = [a for a in me["acknowledged"] if a["document_id"] == RENEWING]
            assert (mine["acknowledged_at"][:10], mine["renewal"]) == (first.isoformat(), 0)

            body = {"document_id": RENEWING, "version": version}
            renewed, double = post(client, "/api/acknowledgements", body), \
                post(client, "/api/acknowledgements", body)
            assert (renewed.status_code, double.status_code) == (201, 200)
            assert renewed.json() == {"document_id": RENEWING, "version": version,
                                      "acknowledged_at": today.isoformat(), "created": True,
                                      "renewal": 1}
            assert double.json() == {**renewed.json(), "created": False}

            me = client.get("/api/me").json()
            assert RENEWING not in {d["document_id"] for d in me["due"]["acknowledgements"]}
            [mine] = [a for a in me["acknowledged"] if a["document_id"] == RENEWING]
            assert (mine["acknowledged_at"][:10], mine["version"], mine["renewal"],
                    mine["current"]) == (today.isoformat(), version, 1, True)
            with client.app.state.portal.session() as session:
                anna = session.scalar(select(Person.id).where(Person.person_id == "anna.lind"))
                assert stored(session, anna) == [(0, first), (1, today)]
        finally:
            client.app.state.engine.dispose()
