"""Calendar arithmetic for the resolver: next occurrences and month steps."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

# A 29 February can be eight years away (2096 -> 2104); no other date is further.
_YEARS_AHEAD = 9


def exact_date(year: int, month: int, day: int) -> date | None:
    """Return the date, or None when it does not exist (31 November, 30 February)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def next_month_day(today: date, month: int, day: int) -> date | None:
    """Return the first `day` `month` on or after `today`, or None if it never is."""
    for year in range(today.year, today.year + _YEARS_AHEAD):
        found = exact_date(year, month, day)
        if found is not None and found >= today:
            return found
    return None


def next_day(today: date, day: int) -> date | None:
    """Return the first day numbered `day` on or after `today` ("le 18")."""
    if not 1 <= day <= 31:
        return None
    for step in range(13):
        year, month = _month_after(today.year, today.month, step)
        found = exact_date(year, month, day)
        if found is not None and found >= today:
            return found
    return None


def day_in_month_after(today: date, months: int, day: int) -> date | None:
    """Return day `day` of the month `months` after today's ("le 18 du mois pro")."""
    year, month = _month_after(today.year, today.month, months)
    return exact_date(year, month, day)


def add_months(start: date, months: int) -> date:
    """Return the same day `months` later, or that month's last day if it is shorter."""
    year, month = _month_after(start.year, start.month, months)
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last))


def next_weekday(today: date, weekday: int) -> date:
    """Return the first `weekday` (0 = Monday) strictly after `today`."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def previous_weekday(today: date, weekday: int) -> date:
    """Return the last `weekday` strictly before `today` ("mardi dernier")."""
    return today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)


def weekday_next_week(today: date, weekday: int) -> date:
    """Return `weekday` in the calendar week after today's ("mardi de la semaine")."""
    return today + timedelta(days=7 - today.weekday() + weekday)


def _month_after(year: int, month: int, step: int) -> tuple[int, int]:
    extra_years, index = divmod(month - 1 + step, 12)
    return year + extra_years, index + 1
