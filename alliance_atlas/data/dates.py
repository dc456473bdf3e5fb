"""Partial ISO dates (YYYY, YYYY-MM, YYYY-MM-DD) and the interval rule start <= d < end."""

from __future__ import annotations

import calendar
import datetime as dt
import re

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse(value: str, *, upper: bool = False) -> dt.date:
    """Parse a (partial) ISO date. A partial date means its first day, or with
    ``upper=True`` the day after its last day (so that ``start <= d < end`` holds
    for the whole period). Raises ValueError with a readable message."""
    text = (value or "").strip()
    m = _PARTIAL.match(text)
    if not m:
        raise ValueError(f"{value!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(m[1]), m[2], m[3]
    try:
        if day is not None:
            return dt.date(year, int(month), int(day))
        if month is not None:
            mon = int(month)
            if not upper:
                return dt.date(year, mon, 1)
            last = calendar.monthrange(year, mon)[1]
            return dt.date(year, mon, last) + dt.timedelta(days=1)
        return dt.date(year + 1, 1, 1) if upper else dt.date(year, 1, 1)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a real date ({exc})") from None


def parse_optional(value: str | None, *, upper: bool = False) -> dt.date | None:
    """Like parse, but an empty cell is None (unknown or open-ended)."""
    if value is None or not str(value).strip():
        return None
    return parse(str(value), upper=upper)


def holds_on(day: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    """True when start <= day < end; a missing start or end is open."""
    return (start is None or start <= day) and (end is None or day < end)
