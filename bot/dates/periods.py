"""Periods customers name instead of a day: "fin décembre", "la semaine prochaine",
"début janvier", "après les fêtes", "le plus tôt possible".

The assistant offers the allowed days of the period; a precise date in the same
message always wins (`requested_date`), so a period is read only without one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.dates import arithmetic as cal
from bot.dates.lexicon import fold, month_number


@dataclass(frozen=True)
class Period:
    """The days from `start` to `end`, both included; `latest` marks "as late as
    possible" (the last allowed days are the ones to offer)."""

    start: date
    end: date
    latest: bool = False

    def iso(self) -> str:
        """ "2026-12-21/2026-12-31" (then "/latest" for "as late as possible"),
        the value of a `date_period` entity."""
        value = f"{self.start.isoformat()}/{self.end.isoformat()}"
        return f"{value}/latest" if self.latest else value

    @classmethod
    def from_iso(cls, value: str) -> Period | None:
        """Read back `iso()`; None for anything else."""
        parts = str(value).split("/")
        try:
            start, end = date.fromisoformat(parts[0]), date.fromisoformat(parts[1])
        except (ValueError, IndexError):
            return None
        return cls(start, end, latest=parts[2:] == ["latest"])


_MONTH = r"(?P<month>[a-z]{3,9}\.?)"
_PART_OF_MONTH = re.compile(
    rf"\b(?P<part>fin|debut|mi|milieu|courant|au debut|a la fin)"
    rf"(?: du mois| de mois)?(?: (?:de |d |du mois de |du mois d )?{_MONTH})?\b"
)
_SOONEST = re.compile(
    r"\b(plus tot possible|des que possible|au plus vite|au plus tot|asap|"
    r"plus vite possible|plus rapidement possible)\b"
)
_LATEST = re.compile(r"\b(plus tard possible|au plus tard possible)\b")
_NEXT_WEEK = re.compile(r"\b(?:la )?semaine (prochaine|pro|suivante|d apres)\b")
_THIS_WEEK = re.compile(r"\bcette semaine\b")
_NEXT_MONTH = re.compile(r"\b(le mois prochain|le mois suivant|le mois d apres)\b")
_AFTER_HOLIDAYS = re.compile(
    r"\bapres (les fetes|le nouvel an|le jour de l an|noel et(?! avant))\b"
)
_AFTER_CHRISTMAS = re.compile(r"\bapres noel\b")
_BEFORE_HOLIDAYS = re.compile(r"\bavant (les fetes|noel)\b")
_BETWEEN_HOLIDAYS = re.compile(
    r"\bentre (noel|les fetes) et (le )?(nouvel an|jour de l an)\b"
)
_IN_MONTH = re.compile(rf"\b(?:en|courant|dans le mois de|pour) {_MONTH}\b")


_NEXT = frozenset({"prochain", "suivant", "pro", "apres"})
_NEGATIONS = frozenset(
    {"pas", "sauf", "hors", "ni", "eviter", "evitez", "evite", "jamais"}
)


def _negated(words: str, match: re.Match[str]) -> bool:
    """ "pas en janvier", "sauf fin décembre": a period refused, not asked for."""
    before = words[: match.start()].split()[-3:]
    return bool(_NEGATIONS & set(before))


def _asked(pattern: re.Pattern[str], words: str) -> re.Match[str] | None:
    """The first match of `pattern` that is not refused ("pas en janvier mais...")."""
    return next((m for m in pattern.finditer(words) if not _negated(words, m)), None)


def _folded(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(text).replace("-", " ")))


def _month_start(today: date, month: int) -> date:
    """The first day of the next `month` whose end is still ahead."""
    year = today.year if month >= today.month else today.year + 1
    return date(year, month, 1)


def _month_end(start: date) -> date:
    return cal.add_months(start, 1) - timedelta(days=1)


def _part_of_month(text: str, today: date) -> Period | None:
    match = _asked(_PART_OF_MONTH, text)
    if match is None:
        return None
    named = match["month"]
    if named in _NEXT and "mois" in match[0]:  # "fin du mois prochain"
        month: int | None = cal.add_months(today.replace(day=1), 1).month
    else:
        month = month_number(named) if named else None
        if named and month is None:
            return None
    if month is None:
        if "mois" not in match[0]:
            return None  # "fin" alone is not a period
        month = today.month
    start = _month_start(today, month)
    part = match["part"]
    if part in ("fin", "a la fin"):
        return Period(start.replace(day=21), _month_end(start))
    if part in ("debut", "au debut"):
        return Period(start, start.replace(day=10))
    if part in ("mi", "milieu"):
        return Period(start.replace(day=11), start.replace(day=20))
    return Period(start, _month_end(start))


def _holidays(text: str, today: date) -> Period | None:
    christmas = cal.next_month_day(today, 12, 25) or today
    if _asked(_BETWEEN_HOLIDAYS, text):
        return Period(christmas + timedelta(1), christmas + timedelta(6))
    if _asked(_AFTER_HOLIDAYS, text):
        new_year = date(christmas.year + 1, 1, 2)
        return Period(new_year, new_year + timedelta(days=8))
    if _asked(_AFTER_CHRISTMAS, text):
        return Period(christmas + timedelta(1), christmas + timedelta(6))
    if _asked(_BEFORE_HOLIDAYS, text):
        if christmas == today:  # "avant Noël" on Christmas Day: next year's
            christmas = date(today.year + 1, 12, 25)
        return Period(today, christmas - timedelta(1))
    return None


def requested_period(text: str, today: date) -> Period | None:
    """The period `text` names, resolved against `today`, or None."""
    words = _folded(text)
    if _SOONEST.search(words):
        return Period(today, today + timedelta(days=59))
    if _LATEST.search(words):
        return Period(today, today + timedelta(days=120), latest=True)
    found = _holidays(words, today) or _part_of_month(words, today)
    if found is not None:
        return found
    if _asked(_NEXT_WEEK, words):
        monday = today + timedelta(days=7 - today.weekday())
        return Period(monday, monday + timedelta(days=6))
    if _asked(_THIS_WEEK, words):
        return Period(today, today + timedelta(days=6 - today.weekday()))
    if _asked(_NEXT_MONTH, words):
        start = cal.add_months(today.replace(day=1), 1)
        return Period(start, _month_end(start))
    match = _asked(_IN_MONTH, words)
    if match is None:
        return None
    month = month_number(match["month"])
    if month is not None:
        start = _month_start(today, month)
        return Period(start, _month_end(start))
    return None
