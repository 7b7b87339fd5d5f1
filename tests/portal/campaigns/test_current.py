"""The ledger the portal keeps (`campaigns.current`) and the dashboard's figures from it,
against a straightforward computation, on SQLite and PostgreSQL.

The database is seeded through the portal's own services where it has them (roster imports,
exceptions, a workplace meeting) and with rows where people act (acknowledgements over 400
days, at old and current versions; NIS2 quiz attempts, passed, failed and at an old version):
people who left, joiners, someone in two units and someone in none, absences ahead and past,
later due dates for one routine and for everything, a revoked exception, APT acknowledgements,
and a routine that must be renewed every 12 months. The straightforward computation reads
every row and applies the rule (`rules.assess`) to each person and requirement in plain
loops; the figures are counted from that per routine, unit and scope. After each kind of
change (new acknowledgements, a renewal, a meeting, exceptions, a roster import, a passed
quiz) the kept ledger must say the same again.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import namedtuple
from dataclasses import replace

import pytest
from sqlalchemy import select, text

from rutinportal.content.organisation import EVERYBODY, reaches
from rutinportal.portal.access.policy import Scope
from rutinportal.portal.campaigns import exceptions as service
from rutinportal.portal.campaigns.assembly import circumstances
from rutinportal.portal.campaigns.ledger import build_ledger, compute_ledger
from rutinportal.portal.campaigns.records import AWAY
from rutinportal.portal.campaigns.requirements import requirements
from rutinportal.portal.campaigns.rules import State, assess
from rutinportal.portal.dashboard.acknowledgements import acknowledgement_rates
from rutinportal.portal.dashboard.attempts import quiz_progress
from rutinportal.portal.decisions.audience import audience_counts
from rutinportal.portal.meetings.service import record_meeting
from rutinportal.portal.people.active import load_people
from rutinportal.portal.people.roster import import_roster
from rutinportal.portal.published import load_published
from rutinportal.portal.receipts.acknowledgements import record, wanted
from rutinportal.portal.storage.db import make_engine, session_factory
from rutinportal.portal.storage.migrate import upgrade
from rutinportal.portal.storage.models import (Acknowledgement, AptMeeting, Person,
                                               PersonException, QuizAttempt)
from rutinportal.portal.storage.moments import local_day

from ..support import write_roster

pytestmark = pytest.mark.build

TODAY = dt.date(2026, 11, 28)
ALL = Scope(True, frozenset())
UNITS = ["hemtjanst", "larm", "vard-omsorgsboende", "halso-sjukvard", "utveckling-stod"]
RENEWING = "RUT-006"  # acknowledged again every 12 months in these tests
Waiting = namedtuple("Waiting", "id content")  # what `audience_counts` reads of a document


def moment(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), dt.timezone.utc)


def roster(count: int, leaving: set[int] = frozenset(), moved: set[int] = frozenset(),
           extra: int = 0) -> list[tuple]:
    rows = []
    for n in range(count + extra):
        if n in leaving:
            continue
        unit = UNITS[(n + (1 if n in moved else 0)) % len(UNITS)]
        units = f"{unit}|larm" if n % 9 == 4 and unit != "larm" else unit
        roles, manages = [], ""
        if n == 1:
            roles = ["sektorsledning", "chefer"]
        elif n % 8 == 0:
            roles, manages = ["chefer"], unit
        if n % 11 == 3:
            roles.append("systemforvaltare")
        if n == 2:  # the coordinator: no unit
            units, roles = "", ["samordnare"]
        rows.append((f"p{n:02d}", f"Person {n:02d}", "", units, "|".join(roles), manages))
    return rows


@pytest.fixture
def seeded(built_example, database_url, tmp_path):
    """A database seeded as described above, with its session and what is published."""
    root, site = built_example.root, built_example.site
    published = load_published(root, site)
    published.documents[RENEWING] = replace(published.documents[RENEWING], renew_months=12)
    engine = make_engine(database_url)
    upgrade(engine)
    session = session_factory(engine)()
    organisation = published.organisation
    import_roster(session, write_roster(tmp_path / "1.csv", roster(40)), organisation,
                  today=TODAY - dt.timedelta(days=200))
    pk = {p.person_id: p.id for p in session.scalars(select(Person))}
    rng = random.Random(14)
    routines = [d for d in published.documents.values() if d.kind.value == "routine"]
    for person_id, person_pk in sorted(pk.items()):
        for document in routines:
            if rng.random() < 0.6:
                version = 1 if document.id == "RUT-001" and rng.random() < 0.3 \
                    else document.version
                day = TODAY - dt.timedelta(days=rng.randint(0, 400))
                session.add(Acknowledgement(person_pk=person_pk, document_id=document.id,
                                            version=version, sha256="0" * 64, source="web",
                                            acknowledged_at=moment(day, rng.choice([6, 23]))))
        if person_id in ("p00", "p01", "p08", "p16", "p24", "p32"):
            for number, quiz_id in enumerate(sorted(q for q in published.quizzes
                                                    if q.startswith("ledning-"))):
                version = published.quizzes[quiz_id].version
                passed, at_version = [(True, version), (False, version),
                                      (True, version - 1)][(number + person_pk) % 3]
                session.add(QuizAttempt(person_pk=person_pk, quiz_id=quiz_id,
                                        quiz_version=at_version, answers={}, score=1.0,
                                        passed=passed, attempted_at=moment(TODAY, 8)))
    session.commit()
    people = {p.person_id: p for p in session.scalars(select(Person))}
    service.record_away(session, people["p05"], TODAY + dt.timedelta(days=40), "Föräldraledig",
                        "Test", TODAY)
    session.add(PersonException(person_pk=people["p06"].id, kind=AWAY,
                                until=TODAY - dt.timedelta(days=20), reason="Sjukskriven",
                                recorded_by="Test"))
    session.commit()
    service.record_extension(session, people["p07"], published, "RUT-009",
                             TODAY + dt.timedelta(days=60), "Ny i tjänsten", "Test", TODAY)
    service.record_extension(session, people["p12"], published, None,
                             TODAY + dt.timedelta(days=15), "Introduktion", "Test", TODAY)
    taken_back = service.record_away(session, people["p13"], TODAY + dt.timedelta(days=9),
                                     "Tjänstledig", "Test", TODAY)
    service.revoke(session, people["p13"], taken_back.id, "Test")
    # Three leave, one moves to another unit, two join (owing from 20 days ago).
    import_roster(session, write_roster(tmp_path / "2.csv", roster(40, {9, 17, 33}, {10}, 2)),
                  organisation, today=TODAY - dt.timedelta(days=20))
    meet(session, published, "hemtjanst", ["p15", "p20", "p25"], TODAY - dt.timedelta(days=10))
    yield session, published, tmp_path, (root, site)
    session.close()
    engine.dispose()


def meet(session, published, unit: str, attendees: list[str], held_on: dt.date) -> None:
    manager = next(p for p in session.scalars(select(Person))
                   if unit in p.manages and p.active)
    reaching = sorted(d.id for d in published.documents.values()
                      if d.kind.value == "routine" and reaches(d.audience, {EVERYBODY, unit}))
    record_meeting(session, published, manager, unit, held_on, reaching[:3], attendees,
                   False, TODAY)


# -- the straightforward computation ------------------------------------------------------


def expected_obligations(session, published, today):
    """(requirement key, person) → the rule's answer, from every row in plain loops."""
    people = load_people(session)
    held = {m.id: m.held_on for m in session.scalars(select(AptMeeting))}
    days: dict[tuple[str, int], list[dt.date]] = {}
    for ack in session.scalars(select(Acknowledgement)):
        day = held[ack.meeting_id] if ack.meeting_id else local_day(ack.acknowledged_at)
        days.setdefault((ack.document_id, ack.person_pk), []).append((ack.version, day))
    passes = {}
    for attempt in session.scalars(select(QuizAttempt).where(QuizAttempt.passed.is_(True))):
        passes.setdefault((attempt.quiz_id, attempt.quiz_version, attempt.person_pk),
                          []).append(local_day(attempt.attempted_at))
    exceptions: dict[int, list] = {}
    for e in session.scalars(select(PersonException).where(PersonException.revoked_at.is_(None))
                             .order_by(PersonException.recorded_at, PersonException.id)):
        exceptions.setdefault(e.person_pk, []).append(e)
    found = {}
    for requirement in requirements(published):
        for pk in people.by_pk:
            if not reaches(requirement.document.audience, people.audiences(pk)):
                continue
            if requirement.quiz:
                records = passes.get((requirement.quiz, requirement.quiz_version, pk), [])
            else:
                records = [day for version, day in days.get((requirement.id, pk), [])
                           if version >= requirement.document.acknowledge_from]
            found[(requirement.key, pk)] = assess(
                requirement, max(records, default=None),
                circumstances(people, exceptions, pk, requirement), today)
    away = {pk for pk, items in exceptions.items() if pk in people.by_pk and
            max((e.until for e in items if e.kind == AWAY), default=dt.date.min) >= today}
    return people, found, away


def expected_rates(people, found, away, published, scope: Scope):
    """Per routine: (done, total, overdue) in scope, and per unit (with who is missing)."""
    units = [u.id for u in published.organisation.units if scope.covers(u.id)]
    routines, by_unit = {}, {}
    for requirement in requirements(published):
        if not requirement.routine:
            continue
        audience = set(requirement.document.audience)
        counted_anywhere = set()
        for unit in units:
            counted = {pk for pk in people.by_pk if unit in people.units[pk] and pk not in away
                       and (EVERYBODY in audience or unit in audience
                            or audience & people.roles[pk])}
            if not counted:
                continue
            counted_anywhere |= counted
            by_unit[(requirement.id, unit)] = tally(found, requirement, counted)
        if scope.all_units:
            counted_anywhere |= {pk for pk in people.by_pk if not people.units[pk]
                                 and (requirement.key, pk) in found and pk not in away}
        if counted_anywhere or scope.all_units:
            routines[requirement.id] = tally(found, requirement, counted_anywhere)[:3]
    return routines, by_unit


def tally(found, requirement, counted):
    answers = {pk: found[(requirement.key, pk)] for pk in counted}
    done = {pk for pk, o in answers.items() if o.state is State.DONE or o.valid}
    overdue = sum(1 for o in answers.values() if o.state is State.OVERDUE)
    return len(done), len(counted), overdue, counted - done


# -- the comparison -----------------------------------------------------------------------


def check(session, published, today=TODAY) -> None:
    ledger = build_ledger(session, published, today)
    people, found, away = expected_obligations(session, published, today)
    assert ledger.away == away
    for requirement in ledger.requirements:
        members = {pk for key, pk in found if key == requirement.key}
        assert ledger.members[requirement.key] == members, requirement.key
        for pk in members:
            answer = found[(requirement.key, pk)]
            assert ledger.obligation(requirement, pk) == \
                (None if answer.state is State.DONE else answer), (requirement.key, pk)
        assert ledger.valid[requirement.key] == \
            {pk for pk in members if found[(requirement.key, pk)].state is State.DONE
             or found[(requirement.key, pk)].valid}, requirement.key
    for pk in people.by_pk:
        assert ledger.of(pk) == sorted(
            (o for (key, owner), o in found.items() if owner == pk and o.state is not State.DONE),
            key=lambda o: (o.due, o.requirement.title.casefold())), pk
    fresh = compute_ledger(session, published, today)
    assert (fresh.owed, fresh.valid, fresh.members) == (ledger.owed, ledger.valid, ledger.members)
    manager = Scope(False, frozenset({"hemtjanst", "larm"}))
    for scope in (ALL, manager):
        routines, by_unit = expected_rates(people, found, away, published, scope)
        acks = acknowledgement_rates(ledger, published.organisation, scope)
        assert {r.document.id: (r.rate.done, r.rate.total, r.rate.overdue)
                for r in acks.routines} == routines
        assert {(r.document.id, u.unit.id): (u.rate.done, u.rate.total, u.rate.overdue,
                                             set(u.missing))
                for r in acks.routines for u in r.units} == by_unit
        for unit in (u.id for u in published.organisation.units if scope.covers(u.id)):
            mine = acknowledgement_rates(ledger, published.organisation, scope, unit=unit)
            assert [(r.document.id, u.rate, u.missing) for r, u in mine.for_unit(unit)] == \
                [(r.document.id, u.rate, u.missing) for r, u in acks.for_unit(unit)]
            assert [s for s in mine.units] == [s for s in acks.units if s.unit.id == unit]
        for routine in acks.routines:
            one = acknowledgement_rates(ledger, published.organisation, scope,
                                        document=routine.document.id)
            assert one.routines == [routine]
    docs = list(published.documents.values())
    counts = audience_counts(session, [Waiting(d.id, d) for d in docs])
    assert counts == {d.id: sum(reaches(d.audience, people.audiences(pk)) for pk in people.by_pk)
                      for d in docs}
    attempts = {}
    for attempt in session.scalars(select(QuizAttempt).order_by(QuizAttempt.attempted_at,
                                                                QuizAttempt.id)):
        quiz = published.quizzes.get(attempt.quiz_id)
        if quiz is None or quiz.version != attempt.quiz_version \
                or "hemtjanst" not in people.units.get(attempt.person_pk, ()):
            continue
        tries = attempts.setdefault((attempt.person_pk, attempt.quiz_id), [0, None])
        tries[0] += 1
        if attempt.passed and tries[1] is None:
            tries[1] = tries[0]
    progress = quiz_progress(session, published, people, ALL, "hemtjanst")
    assert {(p.person.pk, p.quiz_id): [p.attempts, p.until_pass] for p in progress} == attempts


def test_the_kept_ledger_says_what_the_rule_says_and_keeps_saying_it(seeded) -> None:
    session, published, tmp_path, _ = seeded
    check(session, published)
    ledger = build_ledger(session, published, TODAY)
    assert build_ledger(session, published, TODAY) is ledger  # nothing changed: kept
    overdue = sum(len(v) for v in ledger.overdue.values())
    renewals = sum(1 for owed in ledger.owed.values() for o in owed.values() if o.renewal)
    assert overdue > 20 and renewals >= 3 and ledger.away  # the seed has all of them
    people = {p.person_id: p for p in session.scalars(select(Person))}

    # Acknowledgements, one of them of the routine that expires.
    renewing = ledger.requirement(RENEWING)
    lapsed = next(pk for pk, o in ledger.owed[renewing.key].items() if not o.renewal)
    session.add(Acknowledgement(person_pk=lapsed, document_id=RENEWING,
                                version=renewing.document.version, sha256="0" * 64,
                                source="web", acknowledged_at=moment(TODAY)))
    owing = next(iter(ledger.owed[ledger.requirement("RUT-009").key]))
    session.add(Acknowledgement(person_pk=owing, document_id="RUT-009",
                                version=published.documents["RUT-009"].version,
                                sha256="0" * 64, source="web", acknowledged_at=moment(TODAY)))
    session.commit()
    check(session, published)
    after = build_ledger(session, published, TODAY)
    assert lapsed not in after.owed[renewing.key]
    assert after.members is ledger.members  # only who acknowledged was assessed again

    # A renewal of the same version (the write path numbers it): a new row with a new id,
    # which the kept ledger reads like any other.
    renewer = next(pk for pk, o in after.owed[renewing.key].items() if o.renewal)
    renewer_id = session.get(Person, renewer).person_id
    with session.get_bind().begin() as connection:
        [receipt] = record(connection, [wanted(published, renewer_id, RENEWING,
                                               renewing.document.version)], moment(TODAY))
    assert receipt.created and receipt.renewal == 1
    check(session, published)
    renewed = build_ledger(session, published, TODAY)
    assert renewer not in renewed.owed[renewing.key] and renewer in renewed.valid[renewing.key]
    assert sorted(session.scalars(select(Acknowledgement.renewal).where(
        Acknowledgement.person_pk == renewer, Acknowledgement.document_id == RENEWING))) == [0, 1]

    # A workplace meeting in another unit.
    meet(session, published, "larm", ["p01", "p06"], TODAY - dt.timedelta(days=3))
    check(session, published)

    # Exceptions: one taken back, one recorded.
    away = session.scalars(select(PersonException)
                           .where(PersonException.person_pk == people["p05"].id)).one()
    service.revoke(session, people["p05"], away.id, "Test")
    service.record_extension(session, people["p21"], published, None,
                             TODAY + dt.timedelta(days=5), "Sjukskriven", "Test", TODAY)
    check(session, published)

    # The roster: one more leaves, one moves, one comes back.
    import_roster(session, write_roster(tmp_path / "3.csv",
                                        roster(40, {17, 33, 21}, {10, 11}, 2)),
                  published.organisation, today=TODAY - dt.timedelta(days=1))
    check(session, published)

    # A NIS2 module passed.
    session.add(QuizAttempt(person_pk=people["p08"].id, quiz_id="ledning-2",
                            quiz_version=published.quizzes["ledning-2"].version, answers={},
                            score=1.0, passed=True, attempted_at=moment(TODAY, 10)))
    session.commit()
    check(session, published)

    # The roster changed behind the portal's back (SQL): a unit and a name, the same number
    # of rows. The fingerprint changes, and the roster is read again.
    session.execute(text("UPDATE memberships SET audience_id = 'halso-sjukvard' "
                         "WHERE kind = 'unit' AND audience_id = 'larm' AND person_pk = :pk"),
                    {"pk": people["p04"].id})
    session.execute(text("UPDATE people SET name = 'Ada Ny' WHERE id = :pk"),
                    {"pk": people["p14"].id})
    session.commit()
    check(session, published)
    assert "Ada Ny" in {p.name for p in build_ledger(session, published, TODAY)
                        .people.by_pk.values()}

    # A job title (befattning) alone changed: the owners' review reminders read it.
    session.execute(text("UPDATE people SET title = 'Verksamhetschef hemtjänst' "
                         "WHERE id = :pk"), {"pk": people["p14"].id})
    session.commit()
    assert build_ledger(session, published, TODAY).people.by_pk[people["p14"].id].title == \
        "Verksamhetschef hemtjänst"

    # Another day: the same records say something else.
    check(session, published, TODAY + dt.timedelta(days=40))


def test_a_new_build_with_other_requirements_is_read_afresh(seeded) -> None:
    session, published, _, paths = seeded
    check(session, published)
    built_again = load_published(*paths)  # RUT-006 does not expire there
    check(session, built_again)
    assert build_ledger(session, built_again, TODAY).requirement(RENEWING).renew_months is None
