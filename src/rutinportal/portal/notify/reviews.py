"""Reviews due (`reviews`, `owner_reviews`): weekly, the documents whose review is due within
N days or overdue, to the coordinator (all of them) and to each document's owner.

A document's `owner` (front-matter) is a title, the information owner as a role ("Verksamhetschef
hemtjänst"), with no link to people. The roster links them: the owner *maps to people* when
one or more active people have that job title (the roster's `befattning`, compared without
regard to case and spacing) and an e-mail address. Each of them gets one message a week with
only the documents they own; the coordinator's message says for each document whether its
owner was reached, so the coordinator knows whom to remind by hand. The owner is the one of
the version in force (the version under review). No database and no SMTP here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from ...approval.status import StatusRow, in_force
from ...content.catalogue import Catalogue
from ...content.documents import Status
from ..campaigns.ledger import Ledger
from ..people.active import People, PersonRef
from ..published import Published
from .compose import COORDINATOR, Draft, week_of
from .settings import MailSettings

REACHED, NO_EMAIL, NOBODY = "reached", "no_email", "nobody"


def title_key(title: str | None) -> str:
    """A title as compared: case and spacing do not matter."""
    return " ".join((title or "").split()).casefold()


@dataclass(frozen=True)
class DueReview:
    """A document whose review is due, its owner, and whether the owner gets a message."""

    row: StatusRow
    owner: str          # as the document writes it
    url: str | None
    reach: str          # REACHED | NO_EMAIL | NOBODY


@dataclass
class ReviewDrafts:
    drafts: list[Draft]
    unmapped: int       # owner titles no active person holds: nobody got their message


def owners_in_force(catalogue: Catalogue, ids: list[str], day: dt.date) -> dict[str, str]:
    """Document id → owner, as the version in force on `day` says."""
    found = {}
    for doc_id in ids:
        versions = in_force(catalogue, doc_id, day)
        doc = catalogue.documents.get(doc_id)
        owner = versions[-1].content.owner if versions else (doc.content.owner if doc else "")
        found[doc_id] = owner or ""
    return found


def due_rows(rows: list[StatusRow], today: dt.date, within: int) -> list[StatusRow]:
    """Reviews due within `within` days, or overdue; the earliest first."""
    horizon = today + dt.timedelta(days=within)
    return sorted((r for r in rows if r.next_review and r.status is not Status.RETIRED
                   and r.next_review <= horizon), key=lambda r: (r.next_review, r.id))


def holders(people: People) -> dict[str, list[PersonRef]]:
    """Title (compared) → the active people who hold it, by name."""
    found: dict[str, set[int]] = defaultdict(set)
    for pk, person in people.by_pk.items():
        if title_key(person.title):
            found[title_key(person.title)].add(pk)
    return {key: people.in_order(pks) for key, pks in found.items()}


def _reach(held_by: list[PersonRef]) -> str:
    if any(p.email for p in held_by):
        return REACHED
    return NO_EMAIL if held_by else NOBODY


def reviews(ledger: Ledger, rows: list[StatusRow], owners: dict[str, str],
            published: Published, settings: MailSettings) -> ReviewDrafts:
    """Weekly: the coordinator's message (every review due, and whether its owner was
    reached), and one message to each person holding an owner's title (their documents)."""
    if ledger.today.isoweekday() < settings.summary_weekday:
        return ReviewDrafts([], 0)
    rows = due_rows(rows, ledger.today, settings.review_within_days)
    if not rows:
        return ReviewDrafts([], 0)
    urls = {d.id: settings.link(d.url) for d in published.documents.values()}
    held = holders(ledger.people)
    due = [DueReview(r, owners.get(r.id, ""), urls.get(r.id),
                     _reach(held.get(title_key(owners.get(r.id)), [])))
           for r in rows]
    week, people = week_of(ledger.today), ledger.people
    common = {"days": settings.review_within_days, "today": ledger.today}
    drafts = [Draft(person, "reviews", week, [d.row.id for d in due],
                    {**common, "due": due, "person": person})
              for person in people.in_order(people.role_members.get(COORDINATOR, set()))]
    by_title: dict[str, list[DueReview]] = defaultdict(list)
    for d in due:
        by_title[title_key(d.owner)].append(d)
    for key in sorted(by_title):
        for person in held.get(key, []):  # those without e-mail: counted by the run
            mine = by_title[key]
            drafts.append(Draft(person, "owner_reviews", week, [d.row.id for d in mine],
                                {**common, "due": mine, "person": person,
                                 "title": person.title}))
    unmapped = {key for key, mine in by_title.items() if mine[0].reach == NOBODY}
    return ReviewDrafts(drafts, len(unmapped))
