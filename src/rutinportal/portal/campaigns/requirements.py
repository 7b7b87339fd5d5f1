"""What must be done by its audience: mandatory routines (acknowledged) and mandatory
training modules (their quiz passed at the published version, or acknowledged when they have
no quiz)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from ...content.documents import Kind
from ..published import Published, PublishedDocument


@dataclass(frozen=True)
class Requirement:
    document: PublishedDocument
    quiz: str | None = None          # completed by passing this quiz …
    quiz_version: int | None = None  # … at this version

    @cached_property  # asked for at every count: made once (the dataclass is frozen)
    def key(self) -> str:
        """What is owed, as notifications name it: a new version to acknowledge, or a new
        quiz version to pass, is a new item."""
        base = f"{self.document.id}@{self.document.acknowledge_from}"
        return f"{base}-q{self.quiz_version}" if self.quiz else base

    @property
    def id(self) -> str:
        return self.document.id

    @property
    def title(self) -> str:
        return self.document.title

    @property
    def owed_from(self) -> dt.date:
        return self.document.owed_from or dt.date.min

    @property
    def due_days(self) -> int:
        return self.document.due_days

    @property
    def renew_months(self) -> int | None:
        return self.document.renew_months

    @property
    def routine(self) -> bool:
        return self.document.kind is Kind.ROUTINE

    @property
    def action(self) -> str:
        """What to do, in Swedish (lower case)."""
        if self.quiz:
            return "klara kunskapstestet"
        return "läsa och kvittera" if self.routine else "läsa och markera som klar"


def requirements(published: Published) -> list[Requirement]:
    """Every published mandatory routine and training module, by id."""
    found = []
    for document in sorted(published.documents.values(), key=lambda d: d.id):
        if not document.mandatory or document.owed_from is None:
            continue
        if document.kind is Kind.ROUTINE:
            found.append(Requirement(document))
        elif document.kind is Kind.TRAINING:
            quiz = published.quizzes.get(document.quiz or "")
            found.append(Requirement(document, quiz.id, quiz.version) if quiz
                         else Requirement(document))
    return found


NIS2_COURSE = "ledning"
STAFF_COURSE = "grund"  # offered to everybody (its modules need not be mandatory)
MANAGER_ROLES = ("chefer", "sektorsledning")  # the NIS2 course is theirs


def course_modules(published: Published, course_id: str = NIS2_COURSE
                   ) -> list[PublishedDocument]:
    """A course's mandatory published modules, in course order (the NIS2 course: `ledning`)."""
    course = next((c for c in published.courses if c.get("id") == course_id), {})
    modules = [published.documents.get(m) for m in course.get("modules", [])]
    return [m for m in modules if m is not None and m.kind is Kind.TRAINING and m.mandatory]
