"""Reading the fields of the portal's server-rendered forms, with Swedish errors that name
the field (nothing is recorded when one is wrong)."""

from __future__ import annotations

import datetime as dt

from ...errors import UserError


def form_day(value: str, key: str) -> dt.date:
    """A date field (ÅÅÅÅ-MM-DD, what `<input type="date">` sends)."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UserError(f"{key}: förväntade ett datum ÅÅÅÅ-MM-DD, fick '{value}'. Ingenting "
                        "har registrerats.", 422) from None
