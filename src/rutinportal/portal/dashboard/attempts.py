"""Quiz attempts per person: how many attempts it took to pass each quiz.

For the people in the viewer's scope and each published quiz (at its current version) a
person has tried: the attempts so far, and the number of the attempt that first passed (None
while not passed). Many attempts before passing can mean a routine that is hard to
understand, or guessing; either is worth a manager's conversation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from ..access.policy import Scope
from ..campaigns.records import attempted_by
from ..published import Published
from ..storage.models import QuizAttempt
from ..people.active import People, PersonRef


@dataclass(frozen=True)
class QuizProgress:
    person: PersonRef
    units: tuple[str, ...]
    quiz_id: str
    quiz_title: str
    attempts: int
    until_pass: int | None  # the number of the first passed attempt; None: not passed

    @property
    def text(self) -> str:
        """In Swedish, for a table cell."""
        if self.until_pass is not None:
            return f"godkänt på försök {self.until_pass}"
        return f"inte godkänt efter {self.attempts} försök"


def in_scope(people: People, scope: Scope) -> set[int]:
    if scope.all_units:
        return set(people.by_pk)
    return {pk for pk, units in people.units.items() if units & scope.units}


def quiz_progress(session: Session, published: Published, people: People, scope: Scope,
                  unit: str | None = None, until: dt.date | None = None
                  ) -> list[QuizProgress]:
    """Attempts until pass, per person in scope (and in `unit`, if given) and quiz; with
    `until`, the attempts made by the end of that day."""
    quizzes = published.quizzes
    if not quizzes:
        return []
    wanted = in_scope(people, scope)
    if unit is not None:
        wanted &= people.unit_members.get(unit, set())
    if not wanted:
        return []
    current = or_(*(and_(QuizAttempt.quiz_id == q, QuizAttempt.quiz_version == quiz.version)
                    for q, quiz in sorted(quizzes.items())))
    rows = session.execute(select(QuizAttempt.person_pk, QuizAttempt.quiz_id,
                                  QuizAttempt.passed)
                           .where(current, *attempted_by(until))
                           .order_by(QuizAttempt.person_pk, QuizAttempt.quiz_id,
                                     QuizAttempt.attempted_at, QuizAttempt.id))
    counts: dict[tuple[int, str], list[int | None]] = {}
    for pk, quiz_id, passed in rows:
        if pk not in wanted:
            continue
        entry = counts.setdefault((pk, quiz_id), [0, None])
        entry[0] += 1
        if passed and entry[1] is None:
            entry[1] = entry[0]
    found = [QuizProgress(people.by_pk[pk], tuple(sorted(people.units[pk])), quiz_id,
                          quizzes[quiz_id].title, attempts, until_pass)
             for (pk, quiz_id), (attempts, until_pass) in counts.items()]
    found.sort(key=lambda p: (p.person.name.casefold(), p.person.person_id,
                              p.quiz_title.casefold()))
    return found
