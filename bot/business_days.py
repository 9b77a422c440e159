"""Jours ouvrables: Monday to Saturday, except French national public holidays."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

SUNDAY = 6


@lru_cache(maxsize=32)
def _french_holidays(year: int) -> holidays.HolidayBase:
    """Return the national public holidays of `year`, named in French."""
    return holidays.France(language="fr", years=year)


def holiday_name(d: date) -> str | None:
    """Return the French name of the public holiday on `d`, or None."""
    return _french_holidays(d.year).get(d)


def is_business_day(d: date) -> bool:
    """Tell whether `d` is a jour ouvrable (Monday to Saturday, not a holiday)."""
    return d.weekday() != SUNDAY and holiday_name(d) is None


def next_business_day(d: date) -> date:
    """Return `d` if it is a business day, else the first business day after it."""
    while not is_business_day(d):
        d += timedelta(days=1)
    return d
