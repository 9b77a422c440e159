"""Dates named relative to today: "mardi prochain", "demain", "dans 10 jours"."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.dates import arithmetic as cal
from bot.dates.days import NEXT, bare_day, day_and_month, numeric
from bot.dates.lexicon import is_near, month_number, weekday_number
from bot.dates.reader import Match, Reader, spelled_number

_NOT_A_WEEKDAY_AFTER = frozenset(
    """les tous chaque un premier dernier deuxieme second troisieme quatrieme""".split()
)
# "lundi en huit" is a week after next Monday, "lundi en quinze" two weeks.
_WEEKS_LATER = {"huit": 1, "8": 1, "quinze": 2, "15": 2}
_NEXT_WEEK = frozenset({"prochaine", "pro", "suivante"})
_WORKING_DAYS = frozenset({"ouvre", "ouvres", "ouvrable", "ouvrables"})


def weekday(reader: Reader, i: int) -> Match | None:
    """ "mardi", "mardi prochain", "lundi en huit", "jeudi 10 décembre"."""
    word = reader.word(i)
    day = weekday_number(word) if word else None
    if day is None:
        return None
    if reader.word(i - 1) in _NOT_A_WEEKDAY_AFTER:
        return Match(i, i + 1, None)  # "tous les mardis", "un lundi": no one day
    there = reader.joiner(i + 1)
    if reader.word(i - 1) in ("ce", "cet") and reader.word(there) == "la":
        return Match(i, there + 1, None)  # "ce lundi-là": a day already named
    j = i + 2 if reader.word(i + 1) == "le" else i + 1
    for rule in (day_and_month, numeric):
        found = rule(reader, j)
        if found is not None:
            return replace(found, first=i)
    found = bare_day(reader, j, spelled=False)
    if found is not None:
        return replace(found, first=i)
    return _weekday_alone(reader, i, day)


def _weekday_alone(reader: Reader, i: int, day: int) -> Match:
    """Read what follows a weekday without a day number: "prochain", "en huit"."""
    today = reader.today
    after = reader.word(i + 1)
    if after in NEXT:
        return Match(i, i + 2, cal.next_weekday(today, day), weekday=day)
    if after == "dernier":
        return Match(i, i + 2, cal.previous_weekday(today, day), weak=True)
    if after == "en":
        weeks = _WEEKS_LATER.get(reader.word(i + 2) or reader.text(i + 2))
        if weeks is not None:
            value = cal.next_weekday(today, day) + timedelta(weeks=weeks)
            return Match(i, i + 3, value)
    next_week = _next_week_after(reader, i + 1)
    if next_week is not None:
        return Match(i, next_week, cal.weekday_next_week(today, day))
    if _next_week_before(reader, i - 1):
        return Match(i, i + 1, cal.weekday_next_week(today, day))
    if after in ("de", "d") and month_number(reader.word(reader.joiner(i + 2)) or "_"):
        return Match(i, i + 3, None)  # "un lundi de janvier": no one day
    return Match(i, i + 1, cal.next_weekday(today, day), weekday=day)


def _next_week_after(reader: Reader, j: int) -> int | None:
    """Read "de la semaine prochaine" (or ", la semaine d'après") from `j`."""
    if reader.word(j) == "de" or reader.text(j) == ",":
        j += 1
    week = reader.phrase(j, "la", "semaine")
    if week is None:
        return None
    if reader.word(week) in _NEXT_WEEK:
        return week + 1
    return reader.phrase(week, "d", "apres")


def _next_week_before(reader: Reader, j: int) -> bool:
    """Tell whether "la semaine prochaine" ends at `j` ("semaine prochaine, mardi")."""
    while reader.text(j) == "," or reader.word(j) == "le":
        j -= 1
    return reader.word(j) in _NEXT_WEEK and reader.word(j - 1) == "semaine"


def relative(reader: Reader, i: int) -> Match | None:
    """ "demain", "après-demain", "aujourd'hui", "hier", "dans 10 jours"."""
    word, today = reader.word(i), reader.today
    if not word:
        return None
    if word in ("apres", "apresdemain"):
        j = reader.joiner(i + 1)
        if word == "apresdemain" or is_near(reader.word(j), "demain"):
            return Match(
                i, i + 1 if word == "apresdemain" else j + 1, today + timedelta(2)
            )
        return None
    if is_near(word, "demain"):
        return Match(i, i + 1, today + timedelta(1))
    today_end = reader.phrase(i, "aujourd", "hui")
    if today_end is not None or word == "aujourdhui":
        return Match(i, today_end or i + 1, today, weak=True)
    if word == "hier":
        return Match(i, i + 1, today - timedelta(1), weak=True)
    before_yesterday = reader.phrase(i, "avant", "hier")
    if before_yesterday is not None:
        return Match(i, before_yesterday, today - timedelta(2), weak=True)
    # "ds" is how "dans" is written in SMS-speak ("ds 10 jours").
    return _in_some_time(reader, i) if word in ("dans", "ds") else None


def _in_some_time(reader: Reader, i: int) -> Match | None:
    """Read "dans 10 jours", "dans deux semaines", "dans un mois" at `i`."""
    number = reader.number(i + 1, max_digits=3)
    read = (number, i + 2) if number is not None else spelled_number(reader, i + 1)
    if read is None or reader.word(i + 1) == "premier":
        return None
    count, j = read
    unit, end = reader.word(j), j + 1
    if unit in ("quinzaine", "huitaine", "dizaine", "vingtaine"):
        return Match(i, end, None)
    if reader.phrase(end, "et", "demi") or reader.phrase(end, "et", "demie"):
        return Match(i, end + 2, None)
    if unit in ("jour", "jours", "j"):
        if reader.word(end) in _WORKING_DAYS:
            return Match(i, end + 1, None)
        return Match(i, end, reader.today + timedelta(days=count))
    if unit in ("semaine", "semaines"):
        return Match(i, end, reader.today + timedelta(weeks=count))
    if unit == "mois":
        return Match(i, end, cal.add_months(reader.today, count))
    return None
