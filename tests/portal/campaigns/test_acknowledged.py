"""What the acknowledgements say, kept up to date by reading only what is new
(`campaigns.acknowledged`), on SQLite and PostgreSQL: the first read aggregates in the
database and reads the newest rows one by one; an id missing below the highest seen (on
PostgreSQL a transaction that commits after a later one) is asked for again until it comes;
many missing ids are read as a range. The facts always equal what `records` reads afresh."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import insert

from rutinportal.portal.campaigns import acknowledged, records
from rutinportal.portal.campaigns.requirements import requirements
from rutinportal.portal.published import load_published
from rutinportal.portal.storage.models import Acknowledgement, AptMeeting, Person

pytestmark = pytest.mark.build

RENEWING = "RUT-006"


@pytest.fixture
def wanted(built_example):
    published = load_published(built_example.root, built_example.site)
    published.documents[RENEWING] = replace(published.documents[RENEWING], renew_months=12)
    return published, requirements(published)


@pytest.fixture
def people(session):
    session.add_all(Person(id=n, person_id=f"p{n}", name=f"Person {n}") for n in range(1, 6))
    session.commit()
    return session


def add(session, *rows: tuple) -> None:
    """Acknowledgements (id, person, document, version, day[, meeting]) with their ids."""
    session.execute(insert(Acknowledgement), [
        {"id": row[0], "person_pk": row[1], "document_id": row[2], "version": row[3],
         "sha256": "0" * 64, "source": "apt" if len(row) > 5 else "web",
         "acknowledged_at": dt.datetime.combine(row[4], dt.time(9), dt.timezone.utc),
         "meeting_id": row[5] if len(row) > 5 else None} for row in rows])
    session.commit()


def afresh(session, wanted) -> tuple[dict, dict]:
    complete = records.completed(session, [r for r in wanted if not r.quiz])
    return ({k: set(v) for k, v in complete.items()},
            records.latest_records(session, [r for r in wanted if not r.quiz]))


def facts(session, wanted) -> acknowledged.Facts:
    return acknowledged.acknowledged(session, wanted)


def same(found: acknowledged.Facts, session, wanted) -> bool:
    complete, latest = afresh(session, wanted)
    return ({k: set(v) for k, v in found.complete.items() if v} ==
            {k: v for k, v in complete.items() if v}) and found.latest == latest


def test_the_first_read_aggregates_up_to_the_newest_and_reads_those(people, wanted,
                                                                    monkeypatch) -> None:
    session, (published, wanted) = people, wanted
    monkeypatch.setattr(acknowledged, "TAIL", 3)
    meeting = AptMeeting(unit_id="hemtjanst", held_on=dt.date(2026, 10, 1), witness_pk=1,
                         documents=[])
    session.add(meeting)
    session.commit()
    day = dt.date(2026, 3, 1)
    add(session, (1, 1, "RUT-001", 1, day), (2, 1, "RUT-001", 2, day),
        (3, 2, RENEWING, 1, day), (4, 3, RENEWING, 1, day + dt.timedelta(days=1)),
        (5, 4, "RUT-009", 1, day), (6, 5, RENEWING, 1, day, meeting.id),
        (7, 5, "RUT-010", 1, day))
    found = facts(session, wanted)
    assert same(found, session, wanted)
    key = next(r.key for r in wanted if r.id == RENEWING)
    assert found.latest[(key, 5)] == dt.date(2026, 10, 1)  # the meeting's day
    assert 1 in found.complete[next(r.key for r in wanted if r.id == "RUT-001")]
    assert facts(session, wanted) is found  # nothing new: the same facts


def test_an_id_that_comes_late_is_counted_and_many_missing_are_read_as_a_range(
        people, wanted, monkeypatch) -> None:
    session, (published, wanted) = people, wanted
    day = dt.date(2026, 6, 1)
    add(session, (1, 1, "RUT-001", 2, day), (2, 2, "RUT-001", 2, day))
    first = facts(session, wanted)
    assert same(first, session, wanted)
    # Id 10 commits before 4 to 9 (PostgreSQL: concurrent transactions): 4–9 are missing.
    add(session, (10, 3, "RUT-001", 2, day))
    assert same(facts(session, wanted), session, wanted)
    add(session, (6, 4, RENEWING, 1, day))  # one of them commits later
    late = facts(session, wanted)
    assert same(late, session, wanted)
    assert 4 in late.complete[next(r.key for r in wanted if r.id == RENEWING)]
    # More missing ids than are asked for one by one: the range above the lowest is read,
    # and what was counted already is not counted again.
    monkeypatch.setattr(acknowledged, "MAX_GAPS", 2)
    add(session, (20, 5, "RUT-009", 1, day))
    add(session, (8, 5, "RUT-010", 1, day))
    ranged = facts(session, wanted)
    assert same(ranged, session, wanted)
    assert ranged.version > late.version
