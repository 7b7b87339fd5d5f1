"""Database tables (SQLAlchemy 2). The same code runs on SQLite and PostgreSQL.

People come from the roster; acknowledgements and quiz attempts are append-only evidence of
who did what, for which version and hash, and when. Nothing of that is ever updated in place
except a person's roster data (and `active`, which is how people who left are kept). Two
tables are working state, not evidence: sign-in sessions, and the quiz attempts the server
has handed out (which questions, in which order) and not yet graded.

What is owed is computed, not stored (`portal.campaigns`); stored are its inputs: exceptions
(away until, due date extended), workplace meetings (APT) with who attended, and the e-mail
ledger (every message claimed before it is sent, and each run).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer,
                        String, UniqueConstraint, func)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Person(Base):
    """Someone on the roster. People who leave are deactivated, never deleted."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[str] = mapped_column(String(64), unique=True)  # HR id or user name
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    title: Mapped[str | None] = mapped_column(String(200))  # befattning: owner of documents
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    deactivated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    # Loaded when first used: the write path (acknowledging) never needs them.
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="person", cascade="all, delete-orphan", lazy="select")

    def ids(self, kind: str) -> list[str]:
        return sorted(m.audience_id for m in self.memberships if m.kind == kind)

    @property
    def units(self) -> list[str]:
        return self.ids("unit")

    @property
    def roles(self) -> list[str]:
        return self.ids("role")

    @property
    def manages(self) -> list[str]:
        return self.ids("manages")


class Membership(Base):
    """A person's unit, role, or a unit they manage (kind: unit | role | manages)."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("person_pk", "kind", "audience_id"),
                      Index("ix_memberships_audience", "kind", "audience_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_pk: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    audience_id: Mapped[str] = mapped_column(String(64))
    # Since when: a person who joins an audience owes its routines from that day.
    since: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    person: Mapped[Person] = relationship(back_populates="memberships")


class Acknowledgement(Base):
    """A person confirmed reading one version of a document. Append-only."""

    __tablename__ = "acknowledgements"
    # One record per person, version and renewal (`receipts.acknowledgements`): a double
    # click is one. A routine's records by version, with all the weekly chart reads.
    __table_args__ = (UniqueConstraint("person_pk", "document_id", "version", "renewal",
                                       name="uq_ack_person_version_renewal"),
                      Index("ix_ack_document_person", "document_id", "version", "person_pk",
                            "acknowledged_at", "meeting_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_pk: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    document_id: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    acknowledged_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True),
                                                         default=utcnow)
    source: Mapped[str | None] = mapped_column(String(64))  # "web" or "apt", for the audit
    # source "apt": gone through at this workplace meeting (its date and witness).
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("apt_meetings.id"))
    renewal: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # 0: first


class QuizAttempt(Base):
    """One graded attempt at a quiz, with the answers given. Append-only."""

    __tablename__ = "quiz_attempts"
    # A person's attempts at a quiz in the order made, with what counting them reads; the
    # passed attempts of a quiz version (index only, both).
    __table_args__ = (Index("ix_attempt_series", "person_pk", "quiz_id", "attempted_at", "id",
                            "quiz_version", "passed"),
                      Index("ix_attempt_passed", "quiz_id", "quiz_version", "passed",
                            "person_pk"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_pk: Mapped[int] = mapped_column(ForeignKey("people.id"))
    quiz_id: Mapped[str] = mapped_column(String(80))
    quiz_version: Mapped[int] = mapped_column(Integer)
    document_id: Mapped[str | None] = mapped_column(String(16))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(Float)
    passed: Mapped[bool] = mapped_column(Boolean)
    attempted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RosterImport(Base):
    """When the roster was imported, from which file, and what changed (audit trail)."""

    __tablename__ = "roster_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True),
                                                     server_default=func.now())
    file_name: Mapped[str] = mapped_column(String(260))
    added: Mapped[int] = mapped_column(Integer)
    updated: Mapped[int] = mapped_column(Integer)
    deactivated: Mapped[int] = mapped_column(Integer)


class SignInSession(Base):
    """A sign-in (dev or OIDC mode), bound to the mode and issuer it was made in.

    It ends when the person signs out, when an administrator signs them out everywhere, or
    after the idle timeout. The cookie carries a random token; only its SHA-256 is stored.
    """

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    person_pk: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"),
                                           index=True)
    auth_mode: Mapped[str] = mapped_column(String(16))
    issuer: Mapped[str] = mapped_column(String(300))  # the OIDC issuer; "" in dev mode
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class IssuedAttempt(Base):
    """A quiz attempt handed out by the server: the questions drawn, each with its choices in
    the order shown. Answers are graded only against it, and only once (`closed_at`)."""

    __tablename__ = "issued_attempts"
    __table_args__ = (Index("ix_issued_person_quiz", "person_pk", "quiz_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)  # the attempt id in the API
    person_pk: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    quiz_id: Mapped[str] = mapped_column(String(80))
    quiz_version: Mapped[int] = mapped_column(Integer)
    questions: Mapped[list[Any]] = mapped_column(JSON)  # [{"id": …, "choices": [ids]}]
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(String(16))  # graded | superseded



class AptMeeting(Base):
    """A workplace meeting (APT) where a manager went through routines with a unit.

    Each attendee's acknowledgement points here (`source` "apt"): the date it was gone
    through and the manager who witnessed it.
    """

    __tablename__ = "apt_meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(64))
    held_on: Mapped[dt.date] = mapped_column(Date)
    witness_pk: Mapped[int] = mapped_column(ForeignKey("people.id"))
    documents: Mapped[list[Any]] = mapped_column(JSON)  # [{"id": …, "version": …}]
    quiz_id: Mapped[str | None] = mapped_column(String(80))  # the reading list's, if used
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AptAttendance(Base):
    """Who attended a meeting (also those who had acknowledged the version before)."""

    __tablename__ = "apt_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "person_pk"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("apt_meetings.id", ondelete="CASCADE"))
    person_pk: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)


class PersonException(Base):
    """A person away until a date (`away`), or their due date extended (`extend`: for one
    document, or all when `document_id` is empty). Who recorded it, when, and why."""

    __tablename__ = "person_exceptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_pk: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    document_id: Mapped[str | None] = mapped_column(String(16))
    until: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(500))
    recorded_by: Mapped[str] = mapped_column(String(300))  # a name, or "CLI (user)"
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by: Mapped[str | None] = mapped_column(String(300))


class NotifyRun(Base):
    """One run of `rutinportal notify`: when, for which day, what it sent and skipped."""

    __tablename__ = "notify_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    today: Mapped[dt.date] = mapped_column(Date)
    host: Mapped[str] = mapped_column(String(200))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    alive_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # kind → sent
    failed: Mapped[int] = mapped_column(Integer, default=0)
    no_email: Mapped[int] = mapped_column(Integer, default=0)
    left: Mapped[int] = mapped_column(Integer, default=0)


class Notification(Base):
    """One e-mail, claimed (inserted and committed) before it is sent, then marked sent with
    the SMTP server's answer. `key` is unique: the same message is never claimed twice."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("notify_runs.id"), index=True)
    person_pk: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(300))
    items: Mapped[list[Any]] = mapped_column(JSON)
    message_id: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(String)  # what was sent, to send it again unchanged
    html: Mapped[str] = mapped_column(String)
    claimed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    failed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    smtp_answer: Mapped[str | None] = mapped_column(String(500))


class NoticeMark(Base):
    """A point of one obligation that a message has told its person about (`new`, a week
    before, due, each weekly overdue reminder): each at most once, whoever sends it."""

    __tablename__ = "notice_marks"
    __table_args__ = (UniqueConstraint("person_pk", "item", "point"),
                      Index("ix_notice_marks_item", "item"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_pk: Mapped[int] = mapped_column(ForeignKey("people.id"))
    item: Mapped[str] = mapped_column(String(64))
    point: Mapped[str] = mapped_column(String(48))
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id",
                                                            ondelete="CASCADE"))


class EvidenceExport(Base):
    """One export of the evidence bundle (or of the annual report): who ran it, when, for
    which period, and the SHA-256 of what it signed. Exports carry personal data: each is
    recorded before the file is handed over."""

    __tablename__ = "evidence_exports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    export_id: Mapped[str] = mapped_column(String(32), unique=True)  # in the manifest too
    kind: Mapped[str] = mapped_column(String(16))  # bevispaket | arsrapport
    exported_by: Mapped[str] = mapped_column(String(300))  # a name, or "CLI (user)"
    via: Mapped[str] = mapped_column(String(16))  # cli | portal
    period_from: Mapped[dt.date | None] = mapped_column(Date)
    period_to: Mapped[dt.date] = mapped_column(Date)
    sha256: Mapped[str] = mapped_column(String(64))  # of manifest.json (bundle), the ZIP (report)
    acknowledgements: Mapped[int] = mapped_column(Integer, default=0)
    exported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
