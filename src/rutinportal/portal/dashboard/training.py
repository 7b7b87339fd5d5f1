"""The NIS2 management course: which managers have completed which modules."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, or_
from sqlalchemy.orm import Session

from ...content.documents import Kind
from ...content.organisation import reaches
from ..access.policy import Scope
from ..published import Published, PublishedDocument
from ..storage.models import QuizAttempt
from .acknowledgements import acknowledged
from .people import People, PersonRef, Rate, load_people, people_with

MANAGER_ROLES = ("chefer", "sektorsledning")
NIS2_COURSE = "ledning"


@dataclass(frozen=True)
class ManagerTraining:
    person: PersonRef
    units: tuple[str, ...]
    manages: tuple[str, ...]
    completed: tuple[PublishedDocument, ...]
    missing: tuple[PublishedDocument, ...]

    @property
    def rate(self) -> Rate:
        return Rate(len(self.completed), len(self.completed) + len(self.missing))

    @property
    def done(self) -> bool:
        return not self.missing


@dataclass
class Training:
    modules: list[PublishedDocument]
    managers: list[ManagerTraining]

    @property
    def rate(self) -> Rate:
        """Managers who have completed every module that applies to them, of all."""
        return Rate(sum(m.done for m in self.managers), len(self.managers))


def course_modules(published: Published, course_id: str = NIS2_COURSE
                   ) -> list[PublishedDocument]:
    """The course's mandatory published modules, in course order."""
    course = next((c for c in published.courses if c.get("id") == course_id), {})
    modules = [published.documents.get(m) for m in course.get("modules", [])]
    return [m for m in modules if m is not None and m.kind is Kind.TRAINING and m.mandatory]


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
        passed.update(people_with(
            session, QuizAttempt.person_pk, QuizAttempt.quiz_id, QuizAttempt.passed.is_(True),
            or_(*(and_(QuizAttempt.quiz_id == q, QuizAttempt.quiz_version == quiz.version)
                  for q, quiz in sorted(quizzes.items())))))
    read = acknowledged(session, [m for m in modules if not m.quiz])
    managers = []
    for pk in (pk for pk, roles in people.roles.items() if roles & set(MANAGER_ROLES)):
        if not scope.all_units and not (people.units[pk] | people.manages[pk]) & scope.units:
            continue
        audiences = people.audiences(pk)
        applies = [m for m in modules if reaches(m.audience, audiences)]
        if not applies:
            continue
        done = [m for m in applies if pk in (passed[m.quiz] if m.quiz else read[m.id])]
        managers.append(ManagerTraining(
            people.by_pk[pk], tuple(sorted(people.units[pk])), tuple(sorted(people.manages[pk])),
            tuple(done), tuple(m for m in applies if m not in done)))
    managers.sort(key=lambda m: (m.person.name.casefold(), m.person.person_id))
    return Training(modules, managers)
