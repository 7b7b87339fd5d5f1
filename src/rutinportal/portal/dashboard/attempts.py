"""Quiz attempts per person: how many attempts it took to pass each quiz.

For the people in the viewer's scope and each published quiz (at its current version) a
person has tried: the attempts so far, and the number of the attempt that first passed (None
while not passed). Many attempts before passing can mean a routine that is hard to
understand, or guessing; either is worth a manager's conversation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..access.policy import Scope
from ..campaigns.records import attempted_by
from ..published import Published
from ..storage.models import QuizAttempt
from ..people.active import People, PersonRef

BATCH = 1000  # rows fetched at a time


@dataclass(frozen=True, slots=True)  # thousands on a unit's page: no dict each
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
    versions = {q: quiz.version for q, quiz in quizzes.items()}
    # Only the people asked about (a unit's page: a tenth of everybody's attempts), by the
    # (person, quiz) index; everybody's when the scope is all of them. The current versions
    # are picked here: as a condition on each row the database took longer than reading them.
    who = [] if len(wanted) == len(people.by_pk) else [QuizAttempt.person_pk.in_(sorted(wanted))]
    # Through the connection, not the ORM, in batches: not thousands of rows alive at once
    # (they made the garbage collector's full passes come), nor a call per row.
    rows = session.connection().execute(select(QuizAttempt.person_pk, QuizAttempt.quiz_id,
                                               QuizAttempt.quiz_version, QuizAttempt.passed)
                                        .where(*who, *attempted_by(until))
                                        .order_by(QuizAttempt.person_pk, QuizAttempt.quiz_id,
                                                  QuizAttempt.attempted_at, QuizAttempt.id))
    attempts: dict[tuple[int, str], int] = {}
    first_pass: dict[tuple[int, str], int] = {}
    for batch in rows.partitions(BATCH):
        for pk, quiz_id, version, passed in batch:
            if pk not in wanted or versions.get(quiz_id) != version:
                continue
            key = (pk, quiz_id)
            number = attempts[key] = attempts.get(key, 0) + 1
            if passed and key not in first_pass:
                first_pass[key] = number
    units = {pk: tuple(sorted(people.units[pk])) for pk in {pk for pk, _ in attempts}}
    found = [QuizProgress(people.by_pk[pk], units[pk], quiz_id, quizzes[quiz_id].title, count,
                          first_pass.get((pk, quiz_id)))
             for (pk, quiz_id), count in attempts.items()]
    # By name, then id and quiz title: each name and title folded once, not per row.
    names = {pk: (people.by_pk[pk].name.casefold(), people.by_pk[pk].person_id) for pk in units}
    titles = {q: quiz.title.casefold() for q, quiz in quizzes.items()}
    found.sort(key=lambda p: (names[p.person.pk], titles[p.quiz_id]))
    return found
