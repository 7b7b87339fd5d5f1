"""A renewal stops the reminders (`rutinportal notify` over simulated days against a real SMTP
server, on SQLite and PostgreSQL): a routine that expires every 12 months is owed again
`due_days` before it expires; the person who renews it hears no more about it, the one who
does not is reminded as for anything else."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from rutinportal.content.publications import add_months
from rutinportal.portal.published import load_published
from rutinportal.portal.receipts.acknowledgements import record, wanted
from rutinportal.portal.storage.db import make_engine, session_factory
from rutinportal.portal.storage.models import Acknowledgement, Person
from rutinportal.portal.storage.moments import local_day

from ..support import renewing_site, write_roster
from .conftest import import_on
from .test_notify import HEMTJANST, Notifier, body

pytestmark = pytest.mark.build

JOINED = dt.date(2026, 12, 1)
D = dt.date(2026, 12, 7)  # both acknowledge everything they owe
RENEWING = "RUT-001"      # Låna aldrig ut ditt SITHS-kort, for everybody
ROSTER = [("anna.andersson", "Anna Andersson", "anna@example.org", "hemtjanst", "", ""),
          ("bo.bengtsson", "Bo Bengtsson", "bo@example.org", "hemtjanst", "", "")]


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12)).astimezone()


def acknowledge(url: str, published, person_id: str, documents: list[str], day: dt.date):
    """As the portal records them (`receipts.acknowledgements.record`) on `day`."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            return record(connection, [wanted(published, person_id, d,
                                              published.documents[d].version)
                                       for d in documents], at(day))
    finally:
        engine.dispose()


def records_of(url: str, person_id: str) -> list[tuple[int, dt.date]]:
    engine = make_engine(url)
    with session_factory(engine)() as session:
        found = [(a.renewal, local_day(a.acknowledged_at)) for a in session.scalars(
            select(Acknowledgement).join(Person, Person.id == Acknowledgement.person_pk)
            .where(Person.person_id == person_id, Acknowledgement.document_id == RENEWING)
            .order_by(Acknowledgement.renewal))]
    engine.dispose()
    return found


def mine(sent, address: str):
    return [m for m in sent if m["To"] == address]


def test_a_renewal_stops_the_reminders(built_example, database_url, smtp_server, tmp_path):
    site = renewing_site(built_example.site, tmp_path / "site", RENEWING)
    published = load_published(built_example.root, site)
    import_on(built_example.root, database_url, write_roster(tmp_path / "personal.csv", ROSTER),
              JOINED)
    notifier = Notifier(SimpleNamespace(root=built_example.root, site=site), database_url,
                        smtp_server)
    for person_id in ("anna.andersson", "bo.bengtsson"):
        assert all(r.created for r in acknowledge(database_url, published, person_id,
                                                  HEMTJANST, D))
    expires = add_months(D, 12)                 # 2027-12-07
    opens = expires - dt.timedelta(days=30)     # 2027-11-07: D + 12 months − due_days

    # The day before the window: nothing is owed, and acknowledging again writes nothing.
    _, sent = notifier.run(opens - dt.timedelta(days=1))
    assert sent == []
    [again] = acknowledge(database_url, published, "anna.andersson", [RENEWING],
                          opens - dt.timedelta(days=1))
    assert (again.created, again.renewal) == (False, 0)
    assert records_of(database_url, "anna.andersson") == [(0, D)]

    # The window opens: both are told, by the due date of the renewal.
    _, sent = notifier.run(opens)
    assert sorted((m["To"], m["X-Rutinportalen"]) for m in sent) == [
        ("anna@example.org", "digest"), ("bo@example.org", "digest")]
    for message in sent:
        assert message["Subject"] == "Nytt att göra i Rutinportalen: 1 sak"
        assert "- Läsa och kvittera: Låna aldrig ut ditt SITHS-kort\n  förnyas senast " \
               "7 december 2027 (din förra gäller till dess)" in body(message)
    # Anna renews it that day; Bo does not.
    [renewed] = acknowledge(database_url, published, "anna.andersson", [RENEWING], opens)
    assert (renewed.created, renewed.renewal) == (True, 1)
    assert records_of(database_url, "anna.andersson") == [(0, D), (1, opens)]

    # A week before, on, and a week after the due date: Bo is reminded, Anna is not.
    for day, subject, says in (
            (expires - dt.timedelta(days=7),
             "Påminnelse från Rutinportalen: senast 7 december 2027",
             "senast 7 december 2027, om 7 dagar"),
            (expires, "Påminnelse från Rutinportalen: senast 7 december 2027",
             "i dag, 7 december 2027, är sista dagen"),
            (expires + dt.timedelta(days=7), "Försenat i Rutinportalen: gör det så snart du kan",
             "försenad sedan 7 december 2027 (7 dagar)")):
        _, sent = notifier.run(day)
        assert mine(sent, "anna@example.org") == [], day
        [bo] = mine(sent, "bo@example.org")
        assert (bo["X-Rutinportalen"], bo["Subject"]) == ("reminder", subject), day
        assert "Låna aldrig ut ditt SITHS-kort" in body(bo) and says in body(bo), day
    assert len(mine(smtp_server.inbox.messages, "anna@example.org")) == 1
