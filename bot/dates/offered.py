"""Which of the dates the assistant offered a customer picks: "la première",
"la 2e", "la dernière", "celle du 12", "celle de mardi"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from bot.dates.lexicon import UNIT_WORDS, fold, weekday_number
from bot.dates.scan import read_dates

_ORDINALS = {
    "premiere": 0, "premier": 0, "1ere": 0, "1re": 0, "1er": 0, "1": 0,
    "deuxieme": 1, "seconde": 1, "second": 1, "2e": 1, "2eme": 1, "2nde": 1, "2": 1,
    "troisieme": 2, "3e": 2, "3eme": 2, "3": 2,
    "quatrieme": 3, "4e": 3, "4eme": 3, "4": 3,
    "cinquieme": 4, "5e": 4, "5eme": 4, "5": 4,
    "sixieme": 5, "6e": 5, "6eme": 5, "6": 5,
    "derniere": -1, "dernier": -1,
}  # fmt: skip
# "la 2e", "la deuxième date", "la première proposée", "celle en 3e": a rank is read
# when it follows an article or "celle", or when the message is that word alone.
_RANK = re.compile(
    r"\b(?P<before>la|le|celle|celui|l|en|choix|option|numero|n)\s+"
    r"(?P<rank>[a-z0-9]+)\b"
    r"|^(?P<alone>[a-z0-9]+)$"
)

# After these, a number is a choice, not a day: "la 2", "option 2", "numéro 3".
_NUMBERED = frozenset({"la", "choix", "option", "numero", "n"})


def _numbered(words: str, match: re.Match[str]) -> bool:
    """ "la 2", "option 2": a choice; "le 2" is a day, "pas là 2 jours" a count."""
    following = words[match.end() :].split()[:1]
    return match["before"] in _NUMBERED and not set(following) & UNIT_WORDS


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


def _by_rank(words: str, offered: Sequence[date]) -> date | None:
    for match in _RANK.finditer(words):
        word = match["rank"] or match["alone"] or ""
        if match["rank"] and word.isdigit() and not _numbered(words, match):
            continue  # "le 2" is a day of the month; "2", "la 2" are choices
        rank = _ORDINALS.get(word)
        if rank is not None and -len(offered) <= rank < len(offered):
            return offered[rank]
    return None


def _by_day(text: str, today: date, offered: Sequence[date]) -> date | None:
    """A day written without its month ("celle du 12") that one offered date has."""
    _, matches = read_dates(text, today)
    days = {match.bare_day for match in matches if match.bare_day is not None}
    if len(days) != 1:
        return None
    (day,) = days
    same = [value for value in offered if value.day == day]
    return same[0] if len(same) == 1 else None


def _by_weekday(words: str, offered: Sequence[date]) -> date | None:
    named = {weekday_number(word) for word in words.split()} - {None}
    if len(named) != 1:
        return None
    (weekday,) = named
    same = [value for value in offered if value.weekday() == weekday]
    return same[0] if len(same) == 1 else None


def pick_offered(text: str, today: date, offered: Sequence[date]) -> date | None:
    """The offered date `text` points at, or None when it points at none of them."""
    if not offered:
        return None
    _, matches = read_dates(text, today)
    if any(match.month_known for match in matches):
        return None  # "le 1er janvier" is a date, not the first offered one
    words = _words(text)
    return (
        _by_rank(words, offered)
        or _by_day(text, today, offered)
        or _by_weekday(words, offered)
    )
