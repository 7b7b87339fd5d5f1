"""The week-by-week chart of a routine (`dashboard.progress.weekly`) on SQLite and
PostgreSQL: a person counts once, from their first acknowledgement of the version that counts;
a renewal (another record of the same version) does not count them again."""

from __future__ import annotations

import datetime as dt

import pytest

from rutinportal.portal.campaigns.requirements import Requirement
from rutinportal.portal.dashboard.progress import monday, weekly
from rutinportal.portal.published import load_published
from rutinportal.portal.storage.models import Acknowledgement, Person

pytestmark = pytest.mark.build


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12)).astimezone()


def test_a_person_counts_once_from_the_first_acknowledgement(built_example, session) -> None:
    published = load_published(built_example.root, built_example.site)
    requirement = Requirement(published.documents["RUT-001"])
    version = requirement.document.version
    start = monday(requirement.owed_from)
    people = [Person(person_id=f"p{n}", name=f"Person {n}") for n in range(4)]
    session.add_all(people)
    session.flush()
    a, b, c, outside = (p.id for p in people)
    week = dt.timedelta(days=7)
    for pk, renewal, day in ((a, 0, start), (a, 1, start + 2 * week),  # A renews in week 3
                             (b, 0, start + week), (outside, 0, start)):
        session.add(Acknowledgement(person_pk=pk, document_id="RUT-001", version=version,
                                    renewal=renewal, sha256="0" * 64, source="web",
                                    acknowledged_at=at(day)))
    session.commit()
    today = start + 3 * week + dt.timedelta(days=2)
    weeks = weekly(session, requirement, {a, b, c}, today)
    assert [(w.start, w.done, w.total, w.percent) for w in weeks] == [
        (start, 1, 3, 33), (start + week, 2, 3, 66), (start + 2 * week, 2, 3, 66),
        (start + 3 * week, 2, 3, 66)]
