"""What to send on one day: every message as a `Draft`, decided from the campaigns ledger and
what was told before (the notice marks). No database and no SMTP here.

- **Staff** (`digest`, `reminder`): one message a person, when something is new (all new
  items in it) or an obligation reached a reminder point: `before` (a week before the due
  date), `due` (the due date), then `overdue-1` … `overdue-N` weekly. Each point is told at
  most once, and only the latest reached (a point passed unsent is marked, never sent late).
  Nothing for what is done, excepted (away) or not owed.
- **Managers** (`summary`, weekly): their units' overdue people, exceptions ending within
  two weeks, the NIS2 course of the managers there.
- **Coordinator and leadership** (`decisions`, weekly): documents waiting for a decision
  longer than N days.
- Reviews due within N days or overdue (`reviews` to the coordinator, `owner_reviews` to the
  owners, weekly) are in `reviews`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ...approval.status import StatusRow
from ..campaigns.ledger import Ledger
from ..campaigns.records import AWAY
from ..campaigns.requirements import MANAGER_ROLES, course_modules
from ..campaigns.rules import Obligation, State
from ..people.active import PersonRef
from ..published import Published
from .settings import MailSettings

STAFF_KINDS = ("digest", "reminder")
KINDS = {"digest": "nytt att göra", "reminder": "påminnelser",
         "summary": "veckosammanfattningar till chefer", "decisions": "beslut som väntar",
         "reviews": "översyner", "owner_reviews": "översyner till informationsägare"}
COORDINATOR, LEADERSHIP = "samordnare", "sektorsledning"
EXCEPTIONS_AHEAD_DAYS = 14
NEW = "new"


@dataclass
class Draft:
    """A message to send: to whom, of which kind, about what; `key` is its identity."""

    person: PersonRef
    kind: str
    period: str                                   # what makes it unique besides its marks
    items: list[str]
    context: dict[str, Any]
    marks: list[tuple[str, str]] = field(default_factory=list)  # (item, point) told now

    @property
    def key(self) -> str:
        told = ";".join(f"{item}={point}" for item, point in sorted(self.marks))
        return hashlib.sha256(f"{self.person.pk}|{self.kind}|{self.period}|{told}"
                              .encode("utf-8")).hexdigest()


def week_of(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


# -- staff ------------------------------------------------------------------------------------

def points(obligation: Obligation, settings: MailSettings) -> list[tuple[str, dt.date]]:
    """The points an obligation is told at, in order: new, before, due, overdue-1 … N."""
    due = obligation.due
    found = [(NEW, obligation.owed_since)]
    before = due - dt.timedelta(days=settings.remind_days_before)
    if before > obligation.owed_since:
        found.append((f"before:{due}", before))
    found.append((f"due:{due}", due))
    found += [(f"overdue-{n}:{due}", due + dt.timedelta(days=7 * n))
              for n in range(1, settings.overdue_reminders + 1)]
    return found


@dataclass(frozen=True)
class Told:
    """One obligation in a staff message, and at which point."""

    obligation: Obligation
    point: str
    link: str

    @property
    def reminder(self) -> str:
        """before | due | overdue."""
        return self.point.split(":")[0].split("-")[0]

    @property
    def number(self) -> int:
        """overdue-N: N."""
        head = self.point.split(":")[0]
        return int(head.split("-")[1]) if "-" in head else 0


def staff_message(person: PersonRef, owed: Iterable[Obligation],
                  told: dict[str, set[str]], settings: MailSettings,
                  today: dt.date) -> Draft | None:
    """The one message to `person` today, or None; `told`: item → points told before."""
    new, reminders, marks = [], [], []
    for obligation in owed:
        if obligation.state not in (State.OPEN, State.OVERDUE):
            continue
        reached = [p for p, day in points(obligation, settings) if day <= today]
        before = told.get(obligation.item, set())
        unmarked = [p for p in reached if p not in before]
        if not unmarked:
            continue
        link = settings.link(obligation.requirement.document.url)
        if NEW not in before:
            new.append(Told(obligation, NEW, link))
        elif reached[-1] in unmarked:
            reminders.append(Told(obligation, reached[-1], link))
        else:
            continue  # only points passed unsent (not the latest): nothing to tell
        marks += [(obligation.item, p) for p in unmarked]
    if not new and not reminders:
        return None
    kind = "digest" if new else "reminder"
    items = sorted({t.obligation.item for t in new + reminders})
    return Draft(person, kind, "", items,
                 {"person": person, "new": new, "reminders": reminders, "today": today,
                  "overdue_reminders": settings.overdue_reminders,
                  "my_page": settings.link("/min-sida/")}, marks)


def staff(ledger: Ledger, told: dict[int, dict[str, set[str]]],
          settings: MailSettings) -> list[Draft]:
    """One message per person with something new or a reminder point reached; `told`:
    person → item → points told before."""
    drafts = []
    for pk in sorted(ledger.people.by_pk):
        owed = ledger.of(pk)
        if owed:
            draft = staff_message(ledger.people.by_pk[pk], owed, told.get(pk, {}), settings,
                                  ledger.today)
            if draft is not None:
                drafts.append(draft)
    return drafts


# -- managers ---------------------------------------------------------------------------------

def _overdue_people(ledger: Ledger, members: set[int]) -> list[dict[str, Any]]:
    found = []
    for person in ledger.people.in_order(members):
        late = [o for o in ledger.of(person.pk) if o.overdue]
        if late:
            found.append({"person": person, "obligations": late})
    return found


def _exceptions_ending(ledger: Ledger, members: set[int], titles: dict[str, str]
                       ) -> list[dict[str, Any]]:
    from ..campaigns.exceptions import describe

    horizon = ledger.today + dt.timedelta(days=EXCEPTIONS_AHEAD_DAYS)
    found = []
    for person in ledger.people.in_order(members):
        for exception in ledger.exceptions.get(person.pk, ()):
            if ledger.today <= exception.until <= horizon:
                found.append({"person": person, "text": describe(exception, titles),
                              "away": exception.kind == AWAY})
    return found


def _nis2(ledger: Ledger, published: Published, members: set[int]) -> list[dict[str, Any]]:
    modules = course_modules(published)
    keys = {r.id: r for r in ledger.requirements}
    people = ledger.people
    found = []
    for person in people.in_order(pk for pk in members
                                  if people.roles.get(pk, set()) & set(MANAGER_ROLES)):
        applies = [keys[m.id] for m in modules
                   if m.id in keys and person.pk in ledger.members[keys[m.id].key]]
        if not applies:
            continue
        done = [r for r in applies if person.pk in ledger.valid[r.key]]
        owed = [o for r in applies if (o := ledger.obligation(r, person.pk)) is not None
                and person.pk not in ledger.valid[r.key]]
        found.append({"person": person, "done": len(done), "total": len(applies),
                      "owed": owed, "away": person.pk in ledger.away})
    return found


def managers(ledger: Ledger, published: Published, settings: MailSettings) -> list[Draft]:
    """The weekly summary to each manager about the units they manage (if anything to say)."""
    if ledger.today.isoweekday() < settings.summary_weekday:
        return []
    people, organisation = ledger.people, published.organisation
    titles = {r.id: r.title for r in ledger.requirements}
    drafts = []
    for pk in sorted(pk for pk, units in people.manages.items() if units):
        units = sorted(people.manages[pk], key=lambda u: organisation.name(u).casefold())
        members = set().union(*(people.unit_members.get(u, set()) for u in units))
        overdue = _overdue_people(ledger, members - ledger.away)
        ending = _exceptions_ending(ledger, members, titles)
        nis2 = _nis2(ledger, published, members | {pk})
        if not overdue and not ending and all(m["done"] == m["total"] for m in nis2):
            continue
        drafts.append(Draft(people.by_pk[pk], "summary", week_of(ledger.today), units,
                            {"person": people.by_pk[pk], "today": ledger.today,
                             "units": [organisation.name(u) for u in units],
                             "unit_links": [(organisation.name(u),
                                             settings.link(f"/uppfoljning/enheter/{u}/"))
                                            for u in units],
                             "overdue": overdue, "ending": ending, "nis2": nis2,
                             "link": settings.link}))
    return drafts


# -- decisions --------------------------------------------------------------------------------

def decisions(ledger: Ledger, rows: list[StatusRow], settings: MailSettings) -> list[Draft]:
    """Weekly, to the coordinator and sector leadership: documents waiting too long."""
    if ledger.today.isoweekday() < settings.summary_weekday:
        return []
    waiting = sorted((r for r in rows if r.days_waiting is not None
                      and r.days_waiting > settings.decision_wait_days),
                     key=lambda r: (r.body or "", -(r.days_waiting or 0), r.id))
    if not waiting:
        return []
    people = ledger.people
    recipients = people.role_members.get(COORDINATOR, set()) | \
        people.role_members.get(LEADERSHIP, set())
    context = {"waiting": waiting, "days": settings.decision_wait_days, "today": ledger.today,
               "link": settings.link("/beslut/")}
    return [Draft(person, "decisions", week_of(ledger.today), [r.id for r in waiting],
                  {**context, "person": person})
            for person in people.in_order(recipients)]

