"""The NIS2 management course: which managers have completed which modules (valid today),
from the campaigns ledger; the same for any course (`course_training`)."""

from __future__ import annotations

from dataclasses import dataclass

from ..access.policy import Scope
from ..campaigns.ledger import Count, Ledger
from ..campaigns.requirements import MANAGER_ROLES, NIS2_COURSE, course_modules
from ..people.active import PersonRef
from ..published import Published, PublishedDocument


@dataclass(frozen=True)
class ManagerTraining:
    person: PersonRef
    units: tuple[str, ...]
    manages: tuple[str, ...]
    completed: tuple[PublishedDocument, ...]
    missing: tuple[PublishedDocument, ...]

    @property
    def rate(self) -> Count:
        return Count(len(self.completed), len(self.completed) + len(self.missing))

    @property
    def done(self) -> bool:
        return not self.missing


@dataclass
class Training:
    modules: list[PublishedDocument]
    managers: list[ManagerTraining]

    @property
    def rate(self) -> Count:
        """Managers who have completed every module that applies to them, of all."""
        return Count(sum(m.done for m in self.managers), len(self.managers))


def management_training(ledger: Ledger, published: Published, scope: Scope) -> Training:
    """NIS2 training of the active managers in scope (role chefer or sektorsledning), not
    away today.

    A module is completed when its quiz was passed at the quiz's current version, or, for
    a module without a quiz, when it was acknowledged (and, with `renew_months`, is still
    valid). A manager is in scope when any unit they belong to or manage is.
    """
    return course_training(ledger, published, scope, NIS2_COURSE, MANAGER_ROLES)


def course_training(ledger: Ledger, published: Published, scope: Scope, course_id: str,
                    roles: tuple[str, ...] | None = None, include_away: bool = False
                    ) -> Training:
    """A course's completion per person (of `roles`, or everybody its modules reach): the
    rule of `management_training`, for any course (the staff course `grund` too). People
    away today are left out unless `include_away` (the evidence bundle lists them)."""
    people = ledger.people
    modules = course_modules(published, course_id)
    keys = {r.id: r.key for r in ledger.requirements}
    managers = []
    candidates = (pk for pk, held in people.roles.items()
                  if roles is None or held & set(roles))
    for pk in candidates:
        if pk in ledger.away and not include_away:
            continue
        if not scope.all_units and not (people.units[pk] | people.manages[pk]) & scope.units:
            continue
        applies = [m for m in modules if pk in ledger.members.get(keys.get(m.id, ""), ())]
        if not applies:
            continue
        done = [m for m in applies if pk in ledger.valid[keys[m.id]]]
        managers.append(ManagerTraining(
            people.by_pk[pk], tuple(sorted(people.units[pk])), tuple(sorted(people.manages[pk])),
            tuple(done), tuple(m for m in applies if m not in done)))
    managers.sort(key=lambda m: (m.person.name.casefold(), m.person.person_id))
    return Training(modules, managers)
