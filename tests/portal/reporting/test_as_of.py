"""What was published on a day, from the catalogue: today it is exactly what the build's
catalog.json says (the portal's source), on a past day the versions then in force."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from rutinportal.content.catalogue import Catalogue
from rutinportal.portal.published import load_published
from rutinportal.portal.reporting.as_of import course_view, published_on

pytestmark = pytest.mark.build
TODAY = dt.date.today()


@pytest.fixture(scope="module")
def example(built_example):
    return (load_published(built_example.root, built_example.site),
            Catalogue.load(built_example.root))


def test_today_it_is_what_catalog_json_publishes(example) -> None:
    published, catalogue = example
    now = published_on(published, catalogue, TODAY)
    assert now.documents == published.documents
    assert {q: (quiz.version, quiz.id) for q, quiz in now.quizzes.items()} == \
        {q: (quiz.version, quiz.id) for q, quiz in published.quizzes.items()
         if published.quiz_documents.get(q)}
    assert now.quiz_documents == {q: d for q, d in published.quiz_documents.items() if d}


def test_on_a_past_day_the_versions_then_in_force(example) -> None:
    published, catalogue = example
    then = published_on(published, catalogue, dt.date(2026, 2, 1))
    assert sorted(then.documents) == ["RUT-001", "RUT-004", "RUT-005", "UTB-001", "UTB-002",
                                      "UTB-003", "UTB-004", "UTB-101", "UTB-102", "UTB-103",
                                      "UTB-104", "UTB-105", "UTB-106"]
    first = then.documents["RUT-001"]
    v1 = catalogue.snapshots["RUT-001"][0]
    assert (first.version, first.sha256, first.acknowledge_from, first.approved_on,
            first.owed_from) == (1, v1.sha256, 1, dt.date(2025, 9, 15), dt.date(2025, 9, 15))
    assert first.url == published.documents["RUT-001"].url
    assert first == dataclasses.replace(published.documents["RUT-001"], version=1,
                                        sha256=v1.sha256, acknowledge_from=1,
                                        approved_on=dt.date(2025, 9, 15),
                                        owed_from=dt.date(2025, 9, 15), next_review=first.next_review)
    assert then.quizzes["siths-kort"].version == published.quizzes["siths-kort"].version
    # Retired (without a date, as the example's RUT-012 is): never counted as published.
    assert "RUT-012" not in published_on(published, catalogue, dt.date(2025, 10, 1)).documents
    assert published_on(published, catalogue, dt.date(2025, 9, 14)).documents == {}


def test_a_course_view_counts_an_offered_course_as_required(example) -> None:
    published, _ = example
    view = course_view(published, "grund")
    assert sorted(view.documents) == ["UTB-001", "UTB-002", "UTB-003", "UTB-004"]
    assert all(d.mandatory for d in view.documents.values())
    assert not any(published.documents[d].mandatory for d in view.documents)
