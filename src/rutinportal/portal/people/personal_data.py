"""Personal data (GDPR): everything stored about one person, and the retention of quiz attempts.

`export_person` is the register extract (registerutdrag, art. 15): the roster data, the
memberships, every acknowledgement and every quiz attempt, with English keys and a Swedish
`beskrivning` of each part, and the sign-in sessions and handed-out quiz attempts (working
state). `delete_old_attempts` is the retention rule: quiz attempts older than N years are
deleted (with the handed-out attempts and the sessions last used before then);
acknowledgements are kept, because they are the evidence that staff were informed of a
routine (the information-security management system needs them).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from ...errors import UserError
from ..storage.moments import iso
from ..storage.models import (Acknowledgement, AptAttendance, AptMeeting, IssuedAttempt,
                              Notification, Person, PersonException, QuizAttempt,
                              SignInSession)

DESCRIPTION = {
    "person": "Dina uppgifter i Rutinportalens personallista (från personalsystemet): id, "
              "namn, e-post, befattning (title), om du är aktiv och när uppgifterna lades in, "
              "ändrades eller avaktiverades.",
    "memberships": "Dina enheter (unit), roller (role) och de enheter du är chef för "
                   "(manages), och sedan när (since). De avgör vilka rutiner och utbildningar "
                   "som gäller dig, från när, och vad du får följa upp.",
    "acknowledgements": "Varje gång du har kvitterat att du läst en rutin: dokument, version, "
                        "förnyelse (renewal: 0 för versionens första kvittens, 1 när du "
                        "förnyade den första gången osv.), dokumentets kontrollsumma (sha256) "
                        "och tidpunkt. Kvittenserna sparas "
                        "som bevis i ledningssystemet för informationssäkerhet. En kvittens "
                        "från en arbetsplatsträff (source apt) pekar på mötet (meeting_id).",
    "exceptions": "Undantag för dig: frånvaro till ett datum eller ett senare sista datum, "
                  "med skäl, vem som registrerade det och när (och vem som tog bort det).",
    "apt_meetings": "Arbetsplatsträffar (APT) där du var med: enhet, datum, chefen som var "
                    "vittne och rutinerna som gicks igenom.",
    "emails": "E-post som Rutinportalen har skickat till dig: slag, ämne, vad det gällde och "
              "när. Själva texten sparas inte efter att den skickats.",
    "quiz_attempts": "Varje kunskapstest du har gjort: dina svar, resultat, om du klarade "
                     "testet och när. Försök raderas när de är äldre än den bestämda "
                     "lagringstiden.",
    "sessions": "Dina inloggningar i portalen: när de började, när de senast användes och "
                "när de avslutades. De behövs för att en inloggning ska kunna avslutas, och "
                "raderas med försöken efter lagringstiden.",
    "issued_attempts": "Kunskapstest som portalen har delat ut till dig: vilka frågor som "
                       "drogs och i vilken ordning svaren visades, när och om de rättades.",
}


class UnknownPerson(UserError):
    """No one with that person id is stored."""


def find_person_or_fail(session: Session, person_id: str) -> Person:
    person = session.scalars(select(Person).where(Person.person_id == person_id)).first()
    if person is None:
        raise UnknownPerson(f"Det finns ingen person med id '{person_id}' i Rutinportalens "
                            "databas. Kontrollera id:t i personallistan (kolumnen personid).")
    return person


def export_person(session: Session, person_id: str) -> dict[str, Any]:
    """Everything stored about `person_id`, ready for `json.dumps`."""
    person = find_person_or_fail(session, person_id)
    acknowledgements = session.scalars(
        select(Acknowledgement).where(Acknowledgement.person_pk == person.id)
        .order_by(Acknowledgement.acknowledged_at, Acknowledgement.id)).all()
    attempts = session.scalars(
        select(QuizAttempt).where(QuizAttempt.person_pk == person.id)
        .order_by(QuizAttempt.attempted_at, QuizAttempt.id)).all()
    sign_ins = session.scalars(
        select(SignInSession).where(SignInSession.person_pk == person.id)
        .order_by(SignInSession.created_at, SignInSession.id)).all()
    issued = session.scalars(
        select(IssuedAttempt).where(IssuedAttempt.person_pk == person.id)
        .order_by(IssuedAttempt.issued_at, IssuedAttempt.id)).all()
    exceptions = session.scalars(
        select(PersonException).where(PersonException.person_pk == person.id)
        .order_by(PersonException.recorded_at, PersonException.id)).all()
    meetings = session.execute(
        select(AptMeeting, Person.person_id).join(AptAttendance,
                                                  AptAttendance.meeting_id == AptMeeting.id)
        .join(Person, Person.id == AptMeeting.witness_pk)
        .where(AptAttendance.person_pk == person.id).order_by(AptMeeting.held_on)).all()
    mails = session.scalars(
        select(Notification).where(Notification.person_pk == person.id)
        .order_by(Notification.claimed_at, Notification.id)).all()
    return {
        "beskrivning": DESCRIPTION,
        "person": {
            "person_id": person.person_id, "name": person.name, "email": person.email,
            "title": person.title,
            "active": person.active, "created_at": iso(person.created_at),
            "updated_at": iso(person.updated_at),
            "deactivated_at": iso(person.deactivated_at)},
        "memberships": [{"kind": m.kind, "audience_id": m.audience_id, "since": iso(m.since)}
                        for m in sorted(person.memberships,
                                        key=lambda m: (m.kind, m.audience_id))],
        "acknowledgements": [
            {"document_id": a.document_id, "version": a.version, "renewal": a.renewal,
             "sha256": a.sha256,
             "acknowledged_at": iso(a.acknowledged_at), "source": a.source,
             "meeting_id": a.meeting_id}
            for a in acknowledgements],
        "exceptions": [
            {"kind": e.kind, "document_id": e.document_id, "until": e.until.isoformat(),
             "reason": e.reason, "recorded_by": e.recorded_by, "recorded_at": iso(e.recorded_at),
             "revoked_by": e.revoked_by, "revoked_at": iso(e.revoked_at)}
            for e in exceptions],
        "apt_meetings": [
            {"meeting_id": m.id, "unit_id": m.unit_id, "held_on": m.held_on.isoformat(),
             "witness": witness, "documents": m.documents}
            for m, witness in meetings],
        "emails": [
            {"kind": n.kind, "subject": n.subject, "email": n.email, "items": n.items,
             "claimed_at": iso(n.claimed_at), "sent_at": iso(n.sent_at),
             "failed_at": iso(n.failed_at)}
            for n in mails],
        "quiz_attempts": [
            {"quiz_id": q.quiz_id, "quiz_version": q.quiz_version,
             "document_id": q.document_id, "answers": q.answers, "score": q.score,
             "passed": q.passed, "attempted_at": iso(q.attempted_at)}
            for q in attempts],
        "sessions": [
            {"auth_mode": s.auth_mode, "issuer": s.issuer, "created_at": iso(s.created_at),
             "last_seen_at": iso(s.last_seen_at), "ended_at": iso(s.ended_at)}
            for s in sign_ins],
        "issued_attempts": [
            {"quiz_id": i.quiz_id, "quiz_version": i.quiz_version, "questions": i.questions,
             "issued_at": iso(i.issued_at), "closed_at": iso(i.closed_at),
             "outcome": i.outcome}
            for i in issued],
    }


RETENTION_LOCK = 0x7275_7469_6E72  # any constant: "rutinr"


def retention_cutoff(years: int, now: dt.datetime | None = None) -> dt.datetime:
    """The moment `years` calendar years before `now` (in UTC); 29 February becomes the 28th."""
    if years < 1:
        raise ValueError(f"years must be at least 1, got {years}")
    now = now or dt.datetime.now(dt.timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.timezone.utc)
    now = now.astimezone(dt.timezone.utc)
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def count_old_attempts(session: Session, years: int, now: dt.datetime | None = None) -> int:
    cutoff = retention_cutoff(years, now)
    return session.scalar(select(func.count()).select_from(QuizAttempt)
                          .where(QuizAttempt.attempted_at < cutoff))


def delete_old_attempts(session: Session, years: int, now: dt.datetime | None = None) -> int:
    """Delete quiz attempts older than `years` years; how many. Acknowledgements stay.

    Runs at the same moment (a timer on two hosts) take turns on PostgreSQL: the later one
    deletes what is left (nothing) and says so, and two large deletions never wait for each
    other's rows in opposite orders (a deadlock)."""
    cutoff = retention_cutoff(years, now)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": RETENTION_LOCK})
    result = session.execute(delete(QuizAttempt).where(QuizAttempt.attempted_at < cutoff))
    session.execute(delete(IssuedAttempt).where(IssuedAttempt.issued_at < cutoff))
    session.execute(delete(SignInSession).where(SignInSession.last_seen_at < cutoff))
    session.commit()
    return result.rowcount
