"""How a routine's acknowledgements grew, week by week since it became owed: the share of
today's audience (in the viewer's scope, people away not counted) who had acknowledged the
version that counts by the end of each week. Drawn as a server-rendered SVG with the same
figures as a table beside it (`chart`): leadership sees whether reminders move the curve."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..campaigns.requirements import Requirement
from ..storage.models import Acknowledgement, AptMeeting
from ..storage.moments import local_day

MAX_WEEKS = 52
BATCH = 1000  # rows fetched at a time
WIDTH, HEIGHT, TOP, BOTTOM, LEFT = 640, 220, 10, 30, 40


@dataclass(frozen=True)
class Week:
    start: dt.date   # the Monday
    done: int        # acknowledged by the end of the week (Sunday)
    total: int

    @property
    def percent(self) -> int:
        return self.done * 100 // self.total if self.total else 0

    @property
    def label(self) -> str:
        year, week, _ = self.start.isocalendar()
        return f"v. {week} {year}"


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    week: Week


@dataclass(frozen=True)
class Chart:
    weeks: list[Week]
    bars: list[Bar]
    width: int = WIDTH
    height: int = HEIGHT
    top: int = TOP
    left: int = LEFT
    plot_height: int = HEIGHT - TOP - BOTTOM
    cut: bool = False  # older weeks left out

    def grid(self) -> list[tuple[int, float]]:
        """(percent, y) for the horizontal lines at 0, 25, 50, 75 and 100 %."""
        return [(p, self.top + self.plot_height * (1 - p / 100)) for p in (0, 25, 50, 75, 100)]


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weekly(session: Session, requirement: Requirement, counted: set[int],
           today: dt.date) -> list[Week]:
    """One query: the first acknowledgement (of the version that counts) of each person.

    A person counts once, from that first record: a renewal (another record of the same
    version, `renewal` > 0) does not move the curve, and a record that has expired does not
    take the person off it. The curve shows how the version reached its audience; what is
    valid today (expiry and renewals included) is the ledger's figure beside it."""
    document = requirement.document
    rows = session.connection().execute(  # in batches (see `attempts.quiz_progress`)
        select(Acknowledgement.person_pk, Acknowledgement.acknowledged_at, AptMeeting.held_on)
        .outerjoin(AptMeeting, AptMeeting.id == Acknowledgement.meeting_id)
        .where(Acknowledgement.document_id == document.id,
               Acknowledgement.version >= document.acknowledge_from))
    first: dict[int, dt.date] = {}
    for batch in rows.partitions(BATCH):
        for pk, moment, held_on in batch:
            if pk in counted:
                day = held_on or local_day(moment)
                first[pk] = min(first.get(pk, day), day)
    days = sorted(first.values())
    weeks = []
    start = monday(requirement.owed_from if requirement.owed_from > dt.date.min else today)
    while start <= today:
        end = start + dt.timedelta(days=6)
        weeks.append(Week(start, bisect_right(days, end), len(counted)))  # days <= end
        start += dt.timedelta(days=7)
    return weeks


def chart(weeks: list[Week]) -> Chart:
    cut = len(weeks) > MAX_WEEKS
    shown = weeks[-MAX_WEEKS:]
    plot_height = HEIGHT - TOP - BOTTOM
    step = (WIDTH - LEFT) / max(len(shown), 1)
    bars = []
    for index, week in enumerate(shown):
        height = plot_height * week.percent / 100
        bars.append(Bar(round(LEFT + index * step + step * 0.15, 1),
                        round(TOP + plot_height - height, 1), round(step * 0.7, 1),
                        round(height, 1), week))
    return Chart(shown, bars, cut=cut)
