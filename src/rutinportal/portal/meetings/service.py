"""Recording a workplace meeting, in one transaction, and what it recorded.

Idempotent per person and version like the web path (`receipts.acknowledgements`): an
attendee who had already acknowledged the version keeps that record (its date and source
stand); the meeting's receipt lists them as such, and their attendance is recorded all the
same. A routine that expires (`renew_months`) follows the web's rule on the meeting's date:
an attendee whose renewal was owed then gets a renewal from the meeting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, tuple_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ...content.documents import Kind
from ...content.organisation import Audience, EVERYBODY
from ...errors import NotFound, UserError
from ...site.urls import reading_list_quiz_id
from ..campaigns.requirements import Requirement
from ..published import Published, PublishedDocument
from ..receipts.acknowledgements import UNIQUE, latest_of, next_renewal
from ..storage.db import write_lock
from ..storage.models import (Acknowledgement, AptAttendance, AptMeeting, Membership, Person,
                              utcnow)
from ..storage.moments import aware

APT = "apt"
OLDEST_DAYS = 90  # a meeting is recorded within three months


@dataclass(frozen=True)
class Choices:
    """What a meeting of a unit can go through, and who can attend."""

    unit: Audience
    routines: list[PublishedDocument]  # reaching the unit: mandatory first, then by title
    quiz_id: str | None                # the unit's reading-list quiz, if it has one
    quiz_routines: list[str]           # the routines whose questions it draws on
    people: list[Person]               # the unit's active people, by name


@dataclass(frozen=True)
class Line:
    person: Person
    document: PublishedDocument
    acknowledged_at: dt.datetime | None = None  # the earlier record, if one stood
    source: str | None = None
    renewal: int = 0  # the record's renewal number (0: the first of the version)


@dataclass(frozen=True)
class Receipt:
    meeting: AptMeeting
    unit: Audience
    witness: Person
    documents: list[PublishedDocument]
    attendees: list[Person]
    recorded: list[Line]  # new acknowledgements from this meeting (some perhaps renewals)
    earlier: list[Line]   # already acknowledged before: the latest record stands

    @property
    def renewals(self) -> int:
        return sum(1 for line in self.recorded if line.renewal)


def _unit(published: Published, unit_id: str) -> Audience:
    found = next((u for u in published.organisation.units if u.id == unit_id), None)
    if found is None:
        raise NotFound(f"Enheten '{unit_id}' finns inte i organisation.yml.")
    return found


def choices(session: Session, published: Published, unit_id: str) -> Choices:
    unit = _unit(published, unit_id)
    routines = sorted((d for d in published.documents.values()
                       if d.kind is Kind.ROUTINE and (unit.id in d.audience
                                                      or EVERYBODY in d.audience)),
                      key=lambda d: (not d.mandatory, d.title.casefold()))
    quiz_id = reading_list_quiz_id(unit.id)
    quiz_routines = [d.id for d in routines if d.mandatory and d.quiz]
    people = list(session.scalars(
        select(Person).join(Membership, Membership.person_pk == Person.id)
        .where(Membership.kind == "unit", Membership.audience_id == unit.id,
               Person.active.is_(True)).order_by(Person.name, Person.person_id)))
    return Choices(unit, routines, quiz_id if quiz_id in published.quizzes else None,
                   quiz_routines, people)


def _insert(session: Session):
    return postgresql_insert if session.get_bind().dialect.name == "postgresql" \
        else sqlite_insert


def _new_records(session: Session, by_id: dict[str, PublishedDocument], wanted: list[str],
                 attendees: list[Person], held_on: dt.date) -> list[dict]:
    """Person, document, version and renewal of each record the meeting makes: a first one,
    or a renewal owed on the meeting's date (the rule of `receipts.acknowledgements`, one
    query for the routines that expire); where a record stands, none (a conflict with one
    made meanwhile is none too)."""
    expiring = {d: Requirement(by_id[d]) for d in wanted if by_id[d].renew_months}
    latest = latest_of(session.connection(), [(p.id, d, by_id[d].version)
                                              for p in attendees for d in expiring])
    rows = []
    for person in attendees:
        for document_id in wanted:
            key = (person.id, document_id, by_id[document_id].version)
            number = next_renewal(latest.get(key), expiring.get(document_id), held_on)
            if number is not None:
                rows.append({"person_pk": key[0], "document_id": key[1], "version": key[2],
                             "renewal": number})
    return rows


def record_meeting(session: Session, published: Published, witness: Person, unit_id: str,
                   held_on: dt.date, document_ids: list[str], person_ids: list[str],
                   use_quiz: bool, today: dt.date) -> AptMeeting:
    """Record the meeting and each attendee's acknowledgements, all or nothing."""
    options = choices(session, published, unit_id)
    if held_on > today:
        raise UserError(f"held_on: förväntade mötets datum, senast i dag ({today.isoformat()}), "
                        f"fick {held_on.isoformat()}. Ingenting har registrerats.", 422)
    if held_on < today - dt.timedelta(days=OLDEST_DAYS):
        raise UserError(f"held_on: förväntade ett möte inom de senaste {OLDEST_DAYS} dagarna, "
                        f"fick {held_on.isoformat()}. Ingenting har registrerats.", 422)
    by_id = {d.id: d for d in options.routines}
    wanted = list(dict.fromkeys(document_ids + (options.quiz_routines if use_quiz else [])))
    unknown = [d for d in wanted if d not in by_id]
    if unknown:
        raise UserError(f"dokument: förväntade publicerade rutiner för {options.unit.name}, "
                        f"fick {', '.join(unknown)}. Ingenting har registrerats.", 422)
    if not wanted:
        raise UserError("dokument: välj minst en rutin som ni gick igenom. Ingenting har "
                        "registrerats.", 422)
    people = {p.person_id: p for p in options.people}
    strangers = [p for p in person_ids if p not in people]
    if strangers:
        raise UserError(f"deltagare: förväntade aktiva medarbetare i {options.unit.name}, "
                        f"fick {', '.join(strangers)}. Ingenting har registrerats.", 422)
    attendees = [people[p] for p in dict.fromkeys(person_ids)]
    if not attendees:
        raise UserError("deltagare: kryssa i minst en som var med. Ingenting har "
                        "registrerats.", 422)
    now = utcnow()
    with write_lock(session.get_bind()):
        try:
            meeting = AptMeeting(unit_id=options.unit.id, held_on=held_on,
                                 witness_pk=witness.id, recorded_at=now,
                                 documents=[{"id": d, "version": by_id[d].version}
                                            for d in wanted],
                                 quiz_id=options.quiz_id if use_quiz else None)
            session.add(meeting)
            session.flush()
            session.add_all(AptAttendance(meeting_id=meeting.id, person_pk=p.id)
                            for p in attendees)
            rows = _new_records(session, by_id, wanted, attendees, held_on)
            if rows:
                session.execute(_insert(session)(Acknowledgement)
                                .values([{**row, "sha256": by_id[row["document_id"]].sha256,
                                          "acknowledged_at": now, "source": APT,
                                          "meeting_id": meeting.id} for row in rows])
                                .on_conflict_do_nothing(index_elements=list(UNIQUE)))
            session.commit()
        except BaseException:
            session.rollback()
            raise
    return meeting


def receipt(session: Session, published: Published, meeting_id: int) -> Receipt:
    meeting = session.get(AptMeeting, meeting_id)
    if meeting is None:
        raise NotFound("Genomgången finns inte.")
    unit = _unit(published, meeting.unit_id)
    witness = session.get(Person, meeting.witness_pk)
    attendees = list(session.scalars(
        select(Person).join(AptAttendance, AptAttendance.person_pk == Person.id)
        .where(AptAttendance.meeting_id == meeting.id).order_by(Person.name)))
    documents = [published.documents[d["id"]] if d["id"] in published.documents
                 else PublishedDocument(d["id"], Kind.ROUTINE, d["id"], d["version"], "", (),
                                        False, None, d["version"], "", None, "")
                 for d in meeting.documents]
    pairs = [(p.id, d["id"], d["version"]) for p in attendees for d in meeting.documents]
    found: dict[tuple[int, str], list[Acknowledgement]] = {}
    for ack in session.scalars(select(Acknowledgement).where(
            tuple_(Acknowledgement.person_pk, Acknowledgement.document_id,
                   Acknowledgement.version).in_(pairs))
            .order_by(Acknowledgement.renewal)) if pairs else ():
        found.setdefault((ack.person_pk, ack.document_id), []).append(ack)
    recorded, earlier = [], []
    for person in attendees:
        for document in documents:
            acks = found.get((person.id, document.id), [])
            ours = [a for a in acks if a.meeting_id == meeting.id]
            # Else the record that stood when the meeting was recorded: the newest of those
            # made before it (a renewal made later is not the meeting's business).
            before = [a for a in acks if aware(a.acknowledged_at) <= aware(meeting.recorded_at)]
            if ours:
                recorded.append(Line(person, document, renewal=ours[-1].renewal))
            elif acks:
                ack = (before or acks)[-1]
                earlier.append(Line(person, document, ack.acknowledged_at, ack.source,
                                    ack.renewal))
    return Receipt(meeting, unit, witness, documents, attendees, recorded, earlier)


@dataclass(frozen=True)
class MeetingRow:
    """One meeting as the dashboard's export lists it."""

    held_on: dt.date
    unit_id: str
    witness: str
    documents: str
    attendees: int
    recorded: int  # acknowledgements from this meeting (the others stood before)


def meetings_in(session: Session, units: set[str] | None) -> list[MeetingRow]:
    """Every meeting of the units (None: all), newest first; three queries."""
    where = [] if units is None else [AptMeeting.unit_id.in_(sorted(units))]
    found = session.execute(select(AptMeeting, Person.name)
                            .join(Person, Person.id == AptMeeting.witness_pk).where(*where)
                            .order_by(AptMeeting.held_on.desc(), AptMeeting.id.desc())).all()
    ids = [m.id for m, _ in found]
    if not ids:
        return []
    attended = dict(session.execute(select(AptAttendance.meeting_id, func.count())
                                    .where(AptAttendance.meeting_id.in_(ids))
                                    .group_by(AptAttendance.meeting_id)).all())
    recorded = dict(session.execute(select(Acknowledgement.meeting_id, func.count())
                                    .where(Acknowledgement.meeting_id.in_(ids))
                                    .group_by(Acknowledgement.meeting_id)).all())
    return [MeetingRow(m.held_on, m.unit_id, witness,
                       ", ".join(f"{d['id']} v{d['version']}" for d in m.documents),
                       attended.get(m.id, 0), recorded.get(m.id, 0)) for m, witness in found]
