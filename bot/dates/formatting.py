"""Write a date the French way, without depending on the system locale."""

from __future__ import annotations

from datetime import date

from bot.dates.lexicon import MONTHS, WEEKDAYS


def format_french_date(d: date) -> str:
    """Return "mardi 8 décembre 2026" ("1er" for the first day of a month)."""
    day = "1er" if d.day == 1 else str(d.day)
    return f"{WEEKDAYS[d.weekday()]} {day} {MONTHS[d.month - 1]} {d.year}"
