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
