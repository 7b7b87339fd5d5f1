"""The one rule (`campaigns.rules.assess`): due dates, renewal, absence and extensions,
worked out by hand. No database."""

from __future__ import annotations

import datetime as dt

import pytest

from rutinportal.content.documents import Kind
from rutinportal.portal.campaigns.requirements import Requirement
from rutinportal.portal.campaigns.rules import Circumstances, State, assess, settled
from rutinportal.portal.published import PublishedDocument

APPROVED = dt.date(2026, 3, 2)
D = dt.date


def routine(renew_months: int | None = None, due_days: int = 30) -> Requirement:
    return Requirement(PublishedDocument(
        "RUT-001", Kind.ROUTINE, "Låna aldrig ut ditt SITHS-kort", 2, "a" * 64, ("alla",),
        True, None, 2, "/rutiner/siths-kort/", None, "Sektorchef", APPROVED, APPROVED,
        due_days, renew_months))


def person(entered=D(2025, 1, 1), away=None, extended=None) -> Circumstances:
    return Circumstances(entered, away, extended)


def test_due_days_after_the_approval_for_those_already_in_the_audience() -> None:
    found = assess(routine(), None, person(), D(2026, 3, 20))
    assert (found.state, found.due, found.item, found.owed_since) == \
        (State.OPEN, D(2026, 4, 1), "RUT-001@2", APPROVED)
    assert assess(routine(), None, person(), D(2026, 4, 1)).state is State.OPEN  # the day
    late = assess(routine(), None, person(), D(2026, 4, 2))
    assert late.state is State.OVERDUE and late.days_overdue(D(2026, 4, 9)) == 8


def test_someone_who_joins_later_has_due_days_from_joining() -> None:
    found = assess(routine(), None, person(entered=D(2026, 6, 10)), D(2026, 6, 10))
    assert (found.state, found.due, found.owed_since) == \
        (State.OPEN, D(2026, 7, 10), D(2026, 6, 10))


def test_done_is_done_without_renewal() -> None:
    found = assess(routine(), D(2026, 3, 5), person(), D(2030, 1, 1))
    assert found.state is State.DONE and found.valid


def test_renewal_opens_due_days_before_expiry_and_is_due_the_day_it_expires() -> None:
    requirement = routine(renew_months=12)
    acknowledged = D(2026, 3, 10)
    assert assess(requirement, acknowledged, person(), D(2027, 2, 7)).state is State.DONE
    window = assess(requirement, acknowledged, person(), D(2027, 2, 8))  # 30 days before
    assert (window.state, window.due, window.valid, window.valid_until, window.item) == \
        (State.OPEN, D(2027, 3, 10), True, D(2027, 3, 10), "RUT-001@2/2027-03-10")
    expired = assess(requirement, acknowledged, person(), D(2027, 3, 10))
    assert (expired.state, expired.valid) == (State.OPEN, False)  # expired: due today
    assert assess(requirement, acknowledged, person(), D(2027, 3, 11)).state is State.OVERDUE


def test_away_counts_out_until_the_date_then_gives_due_days_from_the_return() -> None:
    away = person(away=D(2026, 8, 31))
    while_away = assess(routine(), None, away, D(2026, 5, 1))
    assert while_away.state is State.AWAY
    back = assess(routine(), None, away, D(2026, 9, 1))
    assert (back.state, back.due) == (State.OPEN, D(2026, 9, 30))
    # An absence that ended before the routine was owed changes nothing.
    before = assess(routine(), None, person(away=D(2026, 1, 31)), D(2026, 4, 2))
    assert (before.state, before.due) == (State.OVERDUE, D(2026, 4, 1))


@pytest.mark.parametrize("extended, due, state, flag", [
    (D(2026, 5, 15), D(2026, 5, 15), State.OPEN, True),
    (D(2026, 3, 20), D(2026, 4, 1), State.OVERDUE, False),  # earlier than due: no effect
])
def test_an_extension_moves_the_due_date_later_only(extended, due, state, flag) -> None:
    found = assess(routine(), None, person(extended=extended), D(2026, 4, 20))
    assert (found.due, found.state, found.extended) == (due, state, flag)


@pytest.mark.parametrize("renew_months", [None, 1, 12])
def test_a_record_settles_it_exactly_when_the_rule_says_done(renew_months) -> None:
    """`settled` lets the ledger skip the rule for most people: it must agree with `assess`
    for every record day around the renewal window, month ends included, whoever the person."""
    requirement = routine(renew_months)
    today = D(2026, 3, 31)
    for offset in range(-800, 5):
        record = today + dt.timedelta(days=offset)
        for who in (person(), person(away=D(2026, 4, 30)), person(extended=D(2026, 6, 1))):
            assert settled(requirement, record, today) == \
                (assess(requirement, record, who, today).state is State.DONE), record
    assert not settled(requirement, None, today)
