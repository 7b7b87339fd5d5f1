"""Stored moments as people read them. SQLite returns naive datetimes: they are stored in
UTC."""

from __future__ import annotations

import datetime as dt


def aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else aware(moment).isoformat()


def local_day(moment: dt.datetime | None) -> dt.date:
    """The calendar day of a stored moment where the portal runs."""
    return dt.date.min if moment is None else aware(moment).astimezone().date()


def end_of_day(day: dt.date) -> dt.datetime:
    """The first moment after `day` where the portal runs, in UTC: what was recorded by the
    end of `day` is stored before it (SQLite compares the stored UTC text)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time()).astimezone() \
        .astimezone(dt.timezone.utc)
