"""Database tables (SQLAlchemy 2). The same code runs on SQLite and PostgreSQL.

People come from the roster; acknowledgements and quiz attempts are append-only evidence of
who did what, for which version and hash, and when. Nothing of that is ever updated in place
except a person's roster data (and `active`, which is how people who left are kept). Two
tables are working state, not evidence: sign-in sessions, and the quiz attempts the server
has handed out (which questions, in which order) and not yet graded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String,
                        UniqueConstraint, func)
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

    person: Mapped[Person] = relationship(back_populates="memberships")


class Acknowledgement(Base):
    """A person confirmed reading one version of a document. Append-only."""

    __tablename__ = "acknowledgements"
    # One record per person and version: a double click is one record (idempotent).
    __table_args__ = (UniqueConstraint("person_pk", "document_id", "version"),
                      Index("ix_ack_document", "document_id", "version"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_pk: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    document_id: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    acknowledged_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True),
                                                         default=utcnow)
    source: Mapped[str | None] = mapped_column(String(64))  # e.g. "web", for the audit


class QuizAttempt(Base):
    """One graded attempt at a quiz, with the answers given. Append-only."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (Index("ix_attempt_person_quiz", "person_pk", "quiz_id"),)

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
