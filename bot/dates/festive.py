"""Days named by the calendar: "Noël", "le lendemain de Noël", "le réveillon",
"le jour de l'an", "le samedi après Noël", "le premier lundi de janvier"."""

from __future__ import annotations

from datetime import date, timedelta

from bot.dates import arithmetic as cal
from bot.dates.lexicon import is_near, month_number, weekday_number
from bot.dates.reader import APOSTROPHES, Match, Reader

_ORDINALS = {
    "premier": 1, "premiere": 1, "1er": 1, "1ere": 1, "1re": 1,
    "deuxieme": 2, "second": 2, "seconde": 2, "2e": 2, "2eme": 2, "2nd": 2, "2nde": 2,
    "troisieme": 3, "3e": 3, "3eme": 3, "quatrieme": 4, "4e": 4, "4eme": 4,
    "dernier": -1, "derniere": -1,
}  # fmt: skip


def _next(today: date, month: int, day: int) -> date:
    """The next `day`/`month` on or after today."""
    found = cal.next_month_day(today, month, day)
    assert found is not None  # 24-26 December and 1 January always exist
    return found


def _christmas(reader: Reader, i: int) -> int | None:
    """Index after "noël" (or "noel", "noêl") at `i`, or None."""
    return i + 1 if is_near(reader.word(i), "noel") else None


def _new_year(reader: Reader, i: int) -> int | None:
    """Index after "le jour de l'an", "nouvel an", "premier de l'an" at `i`."""
    if reader.number(i) == 1 and reader.word(i + 1) == "er":
        end = reader.phrase(i + 2, "de", "l", "an")  # "le 1er de l'an"
        if end is not None:
            return end
    for words in (
        ("jour", "de", "l", "an"),
        ("jour", "de", "lan"),
        ("nouvel", "an"),
        ("premier", "de", "l", "an"),
    ):
        end = reader.phrase(i, *words)
        if end is not None:
            return end
    return None


def _bounds_a_period(reader: Reader, i: int) -> bool:
    """ "après Noël", "avant le nouvel an", "entre Noël et le jour de l'an": the
    holiday at `i` bounds a period (`bot.dates.periods`), it is not the day asked.
    "le samedi après Noël" is a day: the weekday comes before."""
    j = i - 1
    while reader.word(j) in ("le", "l") or reader.text(j) in APOSTROPHES:
        j -= 1
    word = reader.word(j)
    if word == "et":
        return "entre" in {reader.word(k) for k in range(j - 4, j)}
    if word == "entre":
        return True
    return word in ("apres", "avant") and weekday_number(reader.word(j - 1)) is None


def festive(reader: Reader, i: int) -> Match | None:
    """A named day of the year-end holidays."""
    today = reader.today
    end = _christmas(reader, i) or _new_year(reader, i)
    if end is not None and _bounds_a_period(reader, i):
        return Match(i, end, None)  # a bound of a period, and no day to read again
    end = _christmas(reader, i)
    if end is not None:
        return Match(i, end, _next(today, 12, 25))
    word = reader.word(i)
    if word in ("lendemain", "veille"):
        after = reader.phrase(i + 1, "de")
        if after is not None and _christmas(reader, after) is not None:
            day = 26 if word == "lendemain" else 24
            return Match(i, after + 1, _next(today, 12, day))
        return None
    if word in ("reveillon", "reveillons"):
        return _eve(reader, i)
    if word in ("saint", "st"):
        end = reader.phrase(i + 1, "sylvestre")
        return Match(i, end, _next(today, 12, 31)) if end is not None else None
    end = _new_year(reader, i)
    if end is not None:
        return Match(i, end, _next(today, 1, 1))
    return _weekday_around_christmas(reader, i)


def _eve(reader: Reader, i: int) -> Match:
    """ "le réveillon" (de Noël), or "le réveillon du nouvel an" / "du 31"."""
    today = reader.today
    j = reader.phrase(i + 1, "du") or reader.phrase(i + 1, "de")
    if j is not None:
        end = _new_year(reader, j)
        if end is None and reader.text(j) == "31":
            end = j + 1
        if end is not None:
            return Match(i, end, _next(today, 12, 31))
        if _christmas(reader, j) is not None:
            return Match(i, j + 1, _next(today, 12, 24))
    return Match(i, i + 1, _next(today, 12, 24))


def _weekday_around_christmas(reader: Reader, i: int) -> Match | None:
    """ "le samedi (d')après Noël", "le lundi avant Noël"."""
    day = weekday_number(reader.word(i)) if reader.word(i) else None
    if day is None:
        return None
    j = i + 1
    if reader.word(j) == "d":
        j = reader.joiner(j + 1)
    side = reader.word(j)
    if side not in ("apres", "avant"):
        return None
    end = _christmas(reader, j + 1)
    if end is None:
        return None
    christmas = _next(reader.today, 12, 25)
    step = timedelta(days=1 if side == "apres" else -1)
    value = _nearest_weekday(christmas + step, day, step)
    if value < reader.today:  # "le lundi avant Noël" said in Christmas week
        value = _nearest_weekday(date(christmas.year + 1, 12, 25) + step, day, step)
    return Match(i, end, value)


def _nearest_weekday(start: date, weekday: int, step: timedelta) -> date:
    """The first `weekday` from `start` on, stepping by `step`."""
    while start.weekday() != weekday:
        start += step
    return start


def _rank(reader: Reader, i: int) -> tuple[int, int] | None:
    """ "premier", "dernier", "2e", "1er" at `i`: (rank, index after)."""
    rank = _ORDINALS.get(reader.word(i))
    if rank is not None:
        return rank, i + 1
    number = reader.number(i, max_digits=1)
    if number and reader.word(i + 1) in ("er", "ere", "re", "e", "eme"):
        return number, i + 2
    return None


def nth_weekday(reader: Reader, i: int) -> Match | None:
    """ "le premier lundi de janvier", "le 2e samedi de janvier", "le dernier
    samedi de décembre"."""
    ranked = _rank(reader, i)
    if ranked is None:
        return None
    rank, j = ranked
    day = weekday_number(reader.word(j)) if reader.word(j) else None
    if day is None:
        return None
    j += 1
    if reader.word(j) in ("de", "d", "du", "en"):
        j += 1
    month = month_number(reader.word(j)) if reader.word(j) else None
    if month is None:
        return None
    for year in (reader.today.year, reader.today.year + 1):
        value = _nth(date(year, month, 1), day, rank)
        if value.month == month and value >= reader.today:
            return Match(i, j + 1, value, month_known=True)
    return None


def _nth(first: date, weekday: int, rank: int) -> date:
    """The `rank`-th `weekday` of the month starting on `first` (-1: the last)."""
    if rank > 0:
        value = first + timedelta(days=(weekday - first.weekday()) % 7)
        return value + timedelta(weeks=rank - 1)
    following = cal.add_months(first, 1)
    value = following - timedelta(days=1)
    while value.weekday() != weekday:
        value -= timedelta(days=1)
    return value
