"""The date patterns tried at each token of a message, longest reading first."""

from __future__ import annotations

from collections.abc import Callable

from bot.dates.days import day_and_month, day_only, iso_date, numeric, spaced_numeric
from bot.dates.festive import festive, nth_weekday
from bot.dates.reader import Match, Reader
from bot.dates.relative import relative, weekday

Rule = Callable[[Reader, int], Match | None]

RULES: tuple[Rule, ...] = (
    festive,
    nth_weekday,
    iso_date,
    day_and_month,
    numeric,
    spaced_numeric,
    day_only,
    weekday,
    relative,
)
