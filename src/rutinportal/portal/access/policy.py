"""Who may see what: the one place that decides.

- Staff see only their own records (`/min-sida/`, `/api/me`).
- Managers (people with units in `chef_for`) see the dashboard for the units they manage,
  including the names of people there who have not acknowledged or completed training.
- A DISK (role `disk`, the unit's information-security coordinator) sees the dashboard, read
  only as it all is, for the units they belong to.
- Sector leadership (role `sektorsledning`) and the coordinator (role `samordnare`) see
  every unit.
- Exceptions (away, a later due date) are recorded by a person's manager (a unit of theirs),
  the coordinator or sector leadership; a DISK follows up but records nothing.
- A workplace meeting (APT) is recorded, with its manager as witness, by a manager of the
  unit (or leadership and the coordinator); its attendees are the unit's active people.
- The evidence bundle and the annual report (every unit, names included) are for sector
  leadership and the coordinator.
Routes and commands ask this module; they never test roles themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import Forbidden
from ..storage.models import Person

ALL_UNITS_ROLES = ("sektorsledning", "samordnare")
UNIT_ROLE = "disk"  # follows up the units the person belongs to


@dataclass(frozen=True)
class Scope:
    """What a person may follow up: all units, or the listed ones (managed, or as DISK)."""

    all_units: bool
    units: frozenset[str]
    as_disk: frozenset[str] = frozenset()  # of `units`, those followed up as DISK only

    def covers(self, unit: str) -> bool:
        return self.all_units or unit in self.units

    @property
    def empty(self) -> bool:
        return not self.all_units and not self.units


def follow_up_scope(person: Person) -> Scope:
    if _manages_all(person):
        return Scope(True, frozenset())
    managed = frozenset(person.manages)
    disk = frozenset(person.units) - managed if UNIT_ROLE in person.roles else frozenset()
    return Scope(False, managed | disk, disk)


def can_follow_up(person: Person) -> bool:
    return not follow_up_scope(person).empty


def require_follow_up(person: Person) -> Scope:
    scope = follow_up_scope(person)
    if scope.empty:
        raise Forbidden("Uppföljningen är till för chefer, DISK, sektorsledningen och "
                        "informationssäkerhetssamordnaren. Dina egna kvittenser och test "
                        "finns på Min sida.")
    return scope


def require_unit(person: Person, unit: str) -> Scope:
    scope = require_follow_up(person)
    if not scope.covers(unit):
        raise Forbidden("Du kan bara följa upp de enheter du är chef eller DISK för.")
    return scope


def require_decisions(person: Person) -> None:
    """The Beslut page: for those who follow up every unit (leadership, the coordinator);
    the dashboard links to it when its scope covers all units."""
    if not follow_up_scope(person).all_units:
        raise Forbidden("Sidan Beslut är till för sektorsledningen och "
                        "informationssäkerhetssamordnaren. Dina egna kvittenser och test "
                        "finns på Min sida.")


def can_see_person(viewer: Person, target: Person) -> bool:
    """Own data always; a manager the people of their units; leadership everyone."""
    if viewer.id == target.id:
        return True
    scope = follow_up_scope(viewer)
    return scope.all_units or bool(scope.units & set(target.units))


def _manages_all(person: Person) -> bool:
    return any(role in person.roles for role in ALL_UNITS_ROLES)


def can_record_exceptions(viewer: Person, target: Person) -> bool:
    return _manages_all(viewer) or bool(set(viewer.manages) & set(target.units))


def require_exceptions(viewer: Person, target: Person) -> None:
    if not can_record_exceptions(viewer, target):
        raise Forbidden("Undantag registreras av personens chef, sektorsledningen eller "
                        "informationssäkerhetssamordnaren. Ingenting har registrerats.")


def can_hold_meeting(person: Person, unit: str) -> bool:
    return _manages_all(person) or unit in person.manages


def require_meeting(person: Person, unit: str) -> None:
    if not can_hold_meeting(person, unit):
        raise Forbidden("Genomgång på APT registreras av enhetens chef. Du kan bara "
                        "registrera för de enheter du är chef för.")


def can_see_mail_log(person: Person) -> bool:
    """The e-mail runs on the dashboard: for the coordinator (and sector leadership)."""
    return _manages_all(person)


def can_export_evidence(person: Person) -> bool:
    """The evidence bundle and the annual report: sector leadership and the coordinator."""
    return _manages_all(person)


def require_evidence(person: Person) -> None:
    if not can_export_evidence(person):
        raise Forbidden("Bevispaketet och årsrapporten är till för sektorsledningen och "
                        "informationssäkerhetssamordnaren. Ingenting har exporterats.")
