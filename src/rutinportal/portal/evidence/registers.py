"""The bundle's registers as rows with Swedish column names: decisions, acknowledgements,
the NIS2 management course, the staff course and the roster.

The acknowledgements are read in batches (`yield_per`) and handed on row by row: 600,000 of
them never sit in memory at once. Everything else is at most one row per person and module.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from ...approval.decision_times import Decision
from ...content.organisation import Organisation
from ..campaigns.ledger import Ledger, circumstances
from ..dashboard.exports import neutralise
from ..campaigns.records import attempted_by
from ..campaigns.requirements import Requirement
from ..campaigns.rules import assess
from ..dashboard.training import Training
from ..published import Published
from ..storage.models import (Acknowledgement, AptMeeting, Membership, Person, QuizAttempt,
                              RosterImport)
from ..storage.moments import end_of_day, local_day
from .texts import text_path

BATCH = 5000

DECISION_COLUMNS = ("Id", "Typ", "Version", "Titel", "Informationsägare", "Beslutat av",
                    "Beslutsdatum", "Beslut", "Första inlämning",
                    "Dagar från inlämning till beslut", "Återremisser", "Anmärkning",
                    "SHA-256", "Godkänd text")
ACK_COLUMNS = ("Dokument", "Titel", "Version", "Förnyelse", "SHA-256", "Personid", "Namn",
               "Enheter vid kvittensen", "Tidpunkt (UTC)", "Källa", "APT-möte", "Vittne")
COURSE_COLUMNS = ("Namn", "Personid", "Roller", "Enheter", "Chef för", "Modul", "Modulens titel",
                  "Version", "Erbjuden sedan", "Sista dag", "Status", "Klar", "Resultat (%)",
                  "Försök")
ROSTER_COLUMNS = ("Personid", "Namn", "Enheter", "Roller", "Chef för", "Aktiv", "Tillagd",
                  "Slutade")
NOT_EXACT = ("Minst så många dagar: dagen för inlämningen före en återremiss är inte känd "
             "(återremiss registrerad före december 2026).")


def decision_rows(found: Sequence[Decision]) -> list[tuple]:
    return [(d.id, d.kind.label, d.version, d.title, d.owner, d.body, d.approved_on,
             d.decision, d.first_submitted, d.days, d.returns,
             None if d.exact else NOT_EXACT, d.sha256, text_path(d.id, d.version))
            for d in found]


@dataclass(frozen=True)
class Period:
    """The acknowledgements of these days (inclusive); `start` None: from the beginning."""

    start: dt.date | None
    end: dt.date

    def text(self) -> str:
        start = self.start.isoformat() if self.start else "från början"
        return f"{start} – {self.end.isoformat()}"


class UnitsThen:
    """The units a person belonged to at a moment, as CSV text: the unit memberships that
    began before it (one query). Nearly every record is later than its person's last
    membership change: that answer is made once per person."""

    def __init__(self, session: Session, name):
        self.since: dict[int, list[tuple[dt.datetime, str]]] = defaultdict(list)
        for pk, unit, since in session.execute(
                select(Membership.person_pk, Membership.audience_id, Membership.since)
                .where(Membership.kind == "unit")):
            self.since[pk].append((since, name(unit)))
        self.now = {pk: (max(s for s, _ in units), self._text(units))
                    for pk, units in self.since.items()}

    @staticmethod
    def _text(units) -> str:
        return neutralise(", ".join(sorted(unit for _, unit in units)))

    def __call__(self, pk: int, moment: dt.datetime) -> str:
        latest, text = self.now.get(pk, (None, ""))
        if latest is None or moment >= latest:
            return text
        return self._text([(s, u) for s, u in self.since[pk] if s <= moment])


def acknowledgement_rows(session: Session, period: Period, titles: dict[str, str],
                         organisation: Organisation) -> Iterator[tuple]:
    """Every acknowledgement recorded in the period (a renewal is a row of its own, with its
    number), oldest first, in batches (Core rows:
    no ORM objects for half a million records), each cell already CSV text
    (`csv_lines(as_text=True)`): names and titles neutralised here."""
    names = {a.id: a.name for a in organisation.audiences.values()}
    titles = {key: neutralise(value) for key, value in titles.items()}
    units_then = UnitsThen(session, lambda unit: names.get(unit, unit))
    witness = aliased(Person)
    where = [Acknowledgement.acknowledged_at < end_of_day(period.end)]
    if period.start is not None:
        where.append(Acknowledgement.acknowledged_at
                     >= end_of_day(period.start - dt.timedelta(days=1)))
    query = (select(Acknowledgement.document_id, Acknowledgement.version,
                    Acknowledgement.renewal, Acknowledgement.sha256, Acknowledgement.person_pk, Person.person_id,
                    Person.name, Acknowledgement.acknowledged_at, Acknowledgement.source,
                    AptMeeting.held_on, witness.name)
             .join(Person, Person.id == Acknowledgement.person_pk)
             .outerjoin(AptMeeting, AptMeeting.id == Acknowledgement.meeting_id)
             .outerjoin(witness, witness.id == AptMeeting.witness_pk)
             .where(*where)
             .order_by(Acknowledgement.acknowledged_at, Acknowledgement.id)
             .execution_options(yield_per=BATCH))  # the statement's, not the connection's
    rows = session.connection().execute(query)
    for (doc_id, version, renewal, sha, pk, person_id, name, moment, source, held_on,
         witness_name) in rows:
        yield (doc_id, titles.get(doc_id, ""), str(version), str(renewal), sha,
               neutralise(person_id),
               neutralise(name), units_then(pk, moment), _utc(moment),
               source or "", held_on.isoformat() if held_on else "",
               neutralise(witness_name) if witness_name else "")


def _utc(moment: dt.datetime) -> str:
    """UTC to the second, ISO 8601 (SQLite gives naive UTC, PostgreSQL aware)."""
    if moment.tzinfo is None:
        return moment.isoformat(timespec="seconds") + "+00:00"
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Record:
    """A person's record of one module: attempts at its version, the first pass."""

    attempts: int = 0
    passed_on: dt.date | None = None
    score: float | None = None


def _quiz_records(session: Session, requirements: list[Requirement], until: dt.date
                  ) -> dict[tuple[int, str], Record]:
    by_quiz = [r for r in requirements if r.quiz]
    if not by_quiz:
        return {}
    keys = {r.quiz: r.key for r in by_quiz}
    current = or_(*(and_(QuizAttempt.quiz_id == r.quiz, QuizAttempt.quiz_version == r.quiz_version)
                    for r in by_quiz))
    found: dict[tuple[int, str], Record] = {}
    for pk, quiz_id, passed, score, moment in session.execute(
            select(QuizAttempt.person_pk, QuizAttempt.quiz_id, QuizAttempt.passed,
                   QuizAttempt.score, QuizAttempt.attempted_at)
            .where(current, *attempted_by(until))
            .order_by(QuizAttempt.person_pk, QuizAttempt.attempted_at, QuizAttempt.id)
            .execution_options(yield_per=BATCH)):
        key = (pk, keys[quiz_id])
        record = found.get(key, Record())
        first = record.passed_on is None and passed
        found[key] = Record(record.attempts + 1,
                            local_day(moment) if first else record.passed_on,
                            score if first else record.score)
    return found


def _ack_records(session: Session, requirements: list[Requirement], until: dt.date
                 ) -> dict[tuple[int, str], Record]:
    by_document = {r.id: r for r in requirements if not r.quiz}
    if not by_document:
        return {}
    found: dict[tuple[int, str], Record] = {}
    for pk, doc_id, version, moment, held_on in session.execute(
            select(Acknowledgement.person_pk, Acknowledgement.document_id,
                   Acknowledgement.version, Acknowledgement.acknowledged_at, AptMeeting.held_on)
            .outerjoin(AptMeeting, AptMeeting.id == Acknowledgement.meeting_id)
            .where(Acknowledgement.document_id.in_(sorted(by_document)),
                   Acknowledgement.acknowledged_at < end_of_day(until))):
        requirement = by_document[doc_id]
        if version < requirement.document.acknowledge_from:
            continue
        day = held_on or local_day(moment)
        key = (pk, requirement.key)
        before = found.get(key)
        if before is None or (before.passed_on is not None and day < before.passed_on):
            found[key] = Record(0, day)  # done: the first acknowledgement that counts
    return found


def course_rows(session: Session, ledger: Ledger, published: Published, training: Training,
                until: dt.date) -> list[tuple]:
    """Per person and module of a course: offered since, the last day (a required module),
    done (when, score, attempts) — as the ledger of `until` counts it (`ledger` is built on
    the course's `as_of.course_view`); those who have not completed it say so."""
    people, name = ledger.people, published.organisation.name
    by_id = {r.id: r for r in ledger.requirements}
    wanted = [by_id[m.id] for m in training.modules if m.id in by_id]
    records = {**_quiz_records(session, wanted, until), **_ack_records(session, wanted, until)}
    rows = []
    for person in training.managers:
        pk = person.person.pk
        for module in (*person.completed, *person.missing):
            requirement = by_id[module.id]
            required = published.documents[module.id].mandatory
            record = records.get((pk, requirement.key), Record())
            obligation = ledger.obligation(requirement, pk)
            offered = assess(requirement, None, circumstances(
                people, ledger.exceptions, pk, requirement), ledger.today).owed_since
            done = module in person.completed
            if done:
                status = "Klar"
            elif pk in ledger.away:
                status = "Frånvarande"
            else:
                status = "Ej klar" if required else "Erbjuden, ej genomförd"
            rows.append((
                person.person.name, person.person.person_id,
                ", ".join(name(r) for r in sorted(people.roles[pk]) if r != "alla"),
                ", ".join(name(u) for u in person.units),
                ", ".join(name(u) for u in person.manages), module.id, module.title,
                module.version, offered if offered > dt.date.min else None,
                obligation.due if required and not done and obligation else None, status,
                record.passed_on if done else None,
                round(record.score * 100) if done and record.score is not None else None,
                record.attempts if requirement.quiz else None))
    return rows


def roster_rows(session: Session, organisation: Organisation) -> list[tuple]:
    """Everybody on the roster, active and left, by person id."""
    kinds: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for pk, kind, audience_id in session.execute(
            select(Membership.person_pk, Membership.kind, Membership.audience_id)):
        if audience_id != "alla":
            kinds[pk][kind].append(organisation.name(audience_id))
    rows = []
    for person in session.scalars(select(Person).order_by(Person.person_id)
                                  .execution_options(yield_per=BATCH)):
        mine = kinds.get(person.id, {})
        rows.append((person.person_id, person.name,
                     *(", ".join(sorted(mine.get(k, ()))) for k in ("unit", "role", "manages")),
                     person.active, local_day(person.created_at),
                     local_day(person.deactivated_at) if person.deactivated_at else None))
    return rows


def last_import(session: Session) -> dt.datetime | None:
    return session.scalar(select(RosterImport.imported_at)
                          .order_by(RosterImport.imported_at.desc()).limit(1))

