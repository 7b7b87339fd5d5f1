"""The dashboard's figures: acknowledgement rates, NIS2 training, approvals and reviews.

No HTTP here. Every function takes what it needs (a session, what is published, the
organisation, the viewer's `policy.Scope`) and returns plain values, so the figures can be
checked against hand-computed numbers.

Denominators are the active people of the roster. For a routine and a unit, a person counts
when they belong to the unit and the routine's audience names the unit, `alla`, or one of
the person's roles. A person in two units counts in both units and once in the routine's
total. People who left (inactive) count nowhere.

The database work is a fixed handful of queries, however many people and routines there
are: the active people, their memberships, and who acknowledged or passed what, aggregated
per person. The rest is set arithmetic in memory.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, not_, or_, select
from sqlalchemy.orm import Session

from ..catalogue import Catalogue
from ..documents import STATUS_NAMES
from ..organisation import Audience, Organisation
from ..status import status_rows
from .models import Acknowledgement, Membership, Person, QuizAttempt
from .policy import Scope
from .published import Document, Published

EVERYBODY = "alla"
MANAGER_ROLES = ("chefer", "sektorsledning")
NIS2_COURSE = "ledning"


@dataclass(frozen=True)
class Rate:
    """`done` of `total`; the percentage is rounded down, so 100 % means everyone."""

    done: int
    total: int

    @property
    def percent(self) -> int | None:
        return self.done * 100 // self.total if self.total else None

    @property
    def missing(self) -> int:
        return self.total - self.done

    def __add__(self, other: Rate) -> Rate:
        return Rate(self.done + other.done, self.total + other.total)


ZERO = Rate(0, 0)


@dataclass(frozen=True)
class PersonRef:
    pk: int
    person_id: str
    name: str


@dataclass
class People:
    """The active roster: who, and their units, roles and managed units (two queries)."""

    by_pk: dict[int, PersonRef]
    units: dict[int, set[str]]
    roles: dict[int, set[str]]
    manages: dict[int, set[str]]

    def __post_init__(self) -> None:
        self.unit_members: dict[str, set[int]] = defaultdict(set)
        self.role_members: dict[str, set[int]] = defaultdict(set)
        for pk, units in self.units.items():
            for unit in units:
                self.unit_members[unit].add(pk)
        for pk, roles in self.roles.items():
            for role in roles:
                self.role_members[role].add(pk)

    def in_order(self, pks: set[int] | frozenset[int]) -> list[PersonRef]:
        """The people, by name (then id, for namesakes)."""
        return sorted((self.by_pk[pk] for pk in pks),
                      key=lambda p: (p.name.casefold(), p.person_id))

    def audiences(self, pk: int) -> set[str]:
        """As `records.audiences_of`, from the loaded memberships."""
        return {EVERYBODY, *self.units[pk], *self.roles[pk]}


def load_people(session: Session) -> People:
    active = Person.active.is_(True)
    by_pk = {pk: PersonRef(pk, person_id, name) for pk, person_id, name in
             session.execute(select(Person.id, Person.person_id, Person.name).where(active))}
    kinds: dict[str, dict[int, set[str]]] = {k: {pk: set() for pk in by_pk}
                                             for k in ("unit", "role", "manages")}
    rows = session.execute(select(Membership.person_pk, Membership.kind, Membership.audience_id)
                           .join(Person, Person.id == Membership.person_pk).where(active))
    for pk, kind, audience_id in rows:
        if kind in kinds and pk in by_pk:
            kinds[kind][pk].add(audience_id)
    return People(by_pk, kinds["unit"], kinds["role"], kinds["manages"])


def _people_with(session: Session, person: Any, key: Any, *where: Any) -> dict[str, set[int]]:
    """Document (or quiz) id → the people with a matching record.

    The database returns one row per person with the ids joined into a string: grouped by
    person, it reads the records from the (person, document, version) index alone, and
    sends 3,000 rows rather than one per record (600,000 for 3,000 people and 200 routines).
    Document and quiz ids never contain a comma (`documents.DOC_ID`, `documents.QUIZ_ID`).
    """
    query = (select(person, func.aggregate_strings(key, ",")).where(*where)
             .group_by(person))
    found: dict[str, list[int]] = defaultdict(list)
    for pk, joined in session.execute(query):
        for item in joined.split(","):
            found[item].append(pk)
    return {item: set(pks) for item, pks in found.items()}


def _older_than(column: Any, version: Any, minimum: dict[str, int]) -> list[Any]:
    """A condition leaving out records of versions older than `minimum[id]`, if any.

    Written as an exclusion, not as `document_id IN (...)`: an IN list would lead SQLite to
    the (document, version) index and a slow lookup of every record; the exclusion keeps it
    on the covering (person, document, version) index, already in person order.
    """
    by_minimum: dict[int, list[str]] = defaultdict(list)
    for key, number in minimum.items():
        if number > 1:
            by_minimum[number].append(key)
    if not by_minimum:
        return []
    return [not_(or_(*(and_(column.in_(sorted(keys)), version < number)
                       for number, keys in sorted(by_minimum.items()))))]


# -- acknowledgements ---------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRate:
    """One routine in one unit, with the people of its audience who have not acknowledged."""

    unit: Audience
    rate: Rate
    missing: frozenset[int]


@dataclass(frozen=True)
class RoutineRate:
    """One mandatory routine: its total in scope (each person once) and per unit."""

    document: Document
    rate: Rate
    units: tuple[UnitRate, ...]  # only units with someone in the audience

    def unit(self, unit_id: str) -> UnitRate | None:
        return next((u for u in self.units if u.unit.id == unit_id), None)


@dataclass(frozen=True)
class UnitSummary:
    """A unit over all mandatory routines: acknowledgements done of those required."""

    unit: Audience
    people: int
    rate: Rate


@dataclass
class Acknowledgements:
    routines: list[RoutineRate]
    units: list[UnitSummary]
    people: People

    @property
    def rate(self) -> Rate:
        return sum((r.rate for r in self.routines), ZERO)

    def routine(self, document_id: str) -> RoutineRate | None:
        return next((r for r in self.routines if r.document.id == document_id), None)

    def for_unit(self, unit_id: str) -> list[tuple[RoutineRate, UnitRate]]:
        """Each routine with someone in the unit's audience, with the unit's figures."""
        found = [(r, r.unit(unit_id)) for r in self.routines]
        return [(r, u) for r, u in found if u is not None]

    def missing(self, unit_rate: UnitRate) -> list[PersonRef]:
        return self.people.in_order(unit_rate.missing)


def mandatory_routines(published: Published) -> list[Document]:
    return sorted((d for d in published.documents.values()
                   if d.kind == "routine" and d.mandatory), key=lambda d: d.id)


def units_in_scope(organisation: Organisation, scope: Scope) -> list[Audience]:
    return [u for u in organisation.units if scope.covers(u.id)]


def acknowledged(session: Session, documents: list[Document]) -> dict[str, set[int]]:
    """Document id → people whose latest acknowledgement counts (>= `acknowledge_from`)."""
    if not documents:
        return {}
    older = _older_than(Acknowledgement.document_id, Acknowledgement.version,
                        {d.id: d.acknowledge_from for d in documents})
    found = _people_with(session, Acknowledgement.person_pk, Acknowledgement.document_id,
                         *older)
    return {d.id: found.get(d.id, set()) for d in documents}


def acknowledgement_rates(session: Session, published: Published, organisation: Organisation,
                          scope: Scope, people: People | None = None) -> Acknowledgements:
    """Acknowledgement rates of the mandatory published routines, per routine and unit."""
    people = people or load_people(session)
    routines = mandatory_routines(published)
    done = acknowledged(session, routines)
    units = units_in_scope(organisation, scope)
    role_ids = {r.id for r in organisation.roles}
    unitless = {pk for pk, u in people.units.items() if not u} if scope.all_units else set()
    rates: list[RoutineRate] = []
    unit_totals: dict[str, Rate] = defaultdict(lambda: ZERO)
    for document in routines:
        audience = set(document.audience)
        everybody = EVERYBODY in audience
        by_role: set[int] = set().union(*(people.role_members.get(r, set())
                                          for r in audience & role_ids))
        acked = done[document.id]
        in_scope: set[int] = set()
        unit_rates = []
        for unit in units:
            members = people.unit_members.get(unit.id, set())
            if not (everybody or unit.id in audience):
                members = members & by_role
            if not members:
                continue
            in_scope |= members
            rate = Rate(len(members & acked), len(members))
            unit_rates.append(UnitRate(unit, rate, frozenset(members - acked)))
            unit_totals[unit.id] += rate
        # Leadership also sees people without a unit, when a role or `alla` includes them.
        in_scope |= unitless if everybody else unitless & by_role
        if not in_scope and not scope.all_units:
            continue  # nobody in the manager's units is in this routine's audience
        rates.append(RoutineRate(document, Rate(len(in_scope & acked), len(in_scope)),
                                 tuple(unit_rates)))
    summaries = [UnitSummary(u, len(people.unit_members.get(u.id, ())), unit_totals[u.id])
                 for u in units if people.unit_members.get(u.id) or not scope.all_units]
    return Acknowledgements(rates, summaries, people)


# -- NIS2 management training -------------------------------------------------------------


@dataclass(frozen=True)
class ManagerTraining:
    person: PersonRef
    units: tuple[str, ...]
    manages: tuple[str, ...]
    completed: tuple[Document, ...]
    missing: tuple[Document, ...]

    @property
    def rate(self) -> Rate:
        return Rate(len(self.completed), len(self.completed) + len(self.missing))

    @property
    def done(self) -> bool:
        return not self.missing


@dataclass
class Training:
    modules: list[Document]
    managers: list[ManagerTraining]

    @property
    def rate(self) -> Rate:
        """Managers who have completed every module that applies to them, of all."""
        return Rate(sum(m.done for m in self.managers), len(self.managers))


def course_modules(published: Published, course_id: str = NIS2_COURSE) -> list[Document]:
    """The course's mandatory published modules, in course order."""
    course = next((c for c in published.courses if c.get("id") == course_id), {})
    modules = [published.documents.get(m) for m in course.get("modules", [])]
    return [m for m in modules if m is not None and m.kind == "training" and m.mandatory]


def management_training(session: Session, published: Published, scope: Scope,
                        people: People | None = None) -> Training:
    """NIS2 training of the active managers in scope (role chefer or sektorsledning).

    A module is completed when its quiz was passed at the quiz's current version, or, for
    a module without a quiz, when it was acknowledged. A manager is in scope when any unit
    they belong to or manage is.
    """
    people = people or load_people(session)
    modules = course_modules(published)
    quizzes = {m.quiz: published.quizzes[m.quiz] for m in modules
               if m.quiz and m.quiz in published.quizzes}
    passed: dict[str, set[int]] = defaultdict(set)
    if quizzes:
        passed.update(_people_with(
            session, QuizAttempt.person_pk, QuizAttempt.quiz_id, QuizAttempt.passed.is_(True),
            or_(*(and_(QuizAttempt.quiz_id == q, QuizAttempt.quiz_version == quiz.version)
                  for q, quiz in sorted(quizzes.items())))))
    read = acknowledged(session, [m for m in modules if not m.quiz])
    managers = []
    for pk in (pk for pk, roles in people.roles.items() if roles & set(MANAGER_ROLES)):
        if not scope.all_units and not (people.units[pk] | people.manages[pk]) & scope.units:
            continue
        audiences = people.audiences(pk)
        applies = [m for m in modules if published.audience_of(audiences, m)]
        if not applies:
            continue
        done = [m for m in applies if pk in (passed[m.quiz] if m.quiz else read[m.id])]
        managers.append(ManagerTraining(
            people.by_pk[pk], tuple(sorted(people.units[pk])), tuple(sorted(people.manages[pk])),
            tuple(done), tuple(m for m in applies if m not in done)))
    managers.sort(key=lambda m: (m.person.name.casefold(), m.person.person_id))
    return Training(modules, managers)


# -- approvals and reviews ----------------------------------------------------------------


@dataclass(frozen=True)
class Pending:
    """A document waiting for a decision, or whose review is overdue."""

    id: str
    title: str
    status: str  # in Swedish
    days_waiting: int | None
    next_review: dt.date | None
    days_overdue: int | None
    decision: str | None  # the latest approval: its decision and who made it
    approved_by: str | None


@dataclass
class Approvals:
    waiting: list[Pending]  # longest wait first
    overdue: list[Pending]  # most overdue first

    @property
    def longest_wait(self) -> int | None:
        return self.waiting[0].days_waiting if self.waiting else None


def approvals(catalogue: Catalogue, today: dt.date) -> Approvals:
    waiting, overdue = [], []
    for row in status_rows(catalogue, today):
        if row.days_waiting is None and not row.overdue:
            continue
        snapshots = catalogue.snapshots.get(row.id) or []
        latest = snapshots[-1].meta if snapshots else {}
        item = Pending(row.id, row.title, STATUS_NAMES.get(row.status, row.status),
                       row.days_waiting, row.next_review,
                       (today - row.next_review).days if row.overdue and row.next_review
                       else None,
                       latest.get("decision"), latest.get("approved_by"))
        if row.days_waiting is not None:
            waiting.append(item)
        if row.overdue:
            overdue.append(item)
    waiting.sort(key=lambda p: (-(p.days_waiting or 0), p.id))
    overdue.sort(key=lambda p: (-(p.days_overdue or 0), p.id))
    return Approvals(waiting, overdue)


# -- the first page -----------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """How are we doing: the four figures of the first page."""

    acknowledgements: Rate  # acknowledgements done of those required, in scope
    training: Rate  # managers with all NIS2 modules done, of the managers in scope
    waiting: int
    longest_wait: int | None  # days
    overdue: int


def summarise(acks: Acknowledgements, training: Training, pending: Approvals) -> Summary:
    return Summary(acks.rate, training.rate, len(pending.waiting), pending.longest_wait,
                   len(pending.overdue))

