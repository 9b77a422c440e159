"""Choose, among the dates of a message, the one the customer asks for.

A step from the date already set wins ("le 8 décembre, décalez d'une semaine").
Otherwise dates refused or being replaced ("au lieu du 8", "pas le 8", "le 8 ne me
va pas", "prévue le 8") are skipped, and past days named to situate the message
("hier", "mardi dernier") too; of the rest, the last one is asked for, preferring a
real date to "aujourd'hui". When every date is refused, none is asked for.
"""

from __future__ import annotations

from datetime import date

from bot.dates.context import is_replaced
from bot.dates.scan import FoundDate, found_date, read_dates
from bot.dates.steps import stepped_date


def requested_date(text: str, today: date) -> FoundDate | None:
    """Return the date the customer asks for: the new one when moving a date."""
    reader, matches = read_dates(text, today)
    old = [is_replaced(reader, matches, index) for index in range(len(matches))]
    stepped = stepped_date(text, reader, matches, old)
    if stepped is not None:
        return stepped
    fresh = [
        match
        for match, is_old in zip(matches, old, strict=True)
        if not is_old and not (match.weak and match.value and match.value < today)
    ]
    strong = [match for match in fresh if not match.weak]
    chosen = strong or fresh
    return found_date(text, reader, chosen[-1]) if chosen else None
