"""Dates written with a day number: "15 décembre", "15/12", "le 18"."""

from __future__ import annotations

from bot.dates import arithmetic as cal
from bot.dates.lexicon import CURRENCY_OR_PERCENT, UNIT_WORDS
from bot.dates.reader import Match, Reader, day_number, month_at, year_at

DAY_INTRODUCERS = frozenset({"le", "du", "au", "ce"})
LIST_JOINERS = frozenset({",", "-", "et", "ou", "a", "au", "puis", "sinon"})
NEXT = frozenset({"prochain", "prochaine", "suivant", "suivante"})
# After "le quinze", only these words keep the spelled number a day ("le quinze svp").
_AFTER_SPELLED_DAY = frozenset(
    """et ou au a mais plutot svp stp merci si sinon ca c ce cela je j alors car
    prochain prochaine matin soir apres dans de du pour""".split()
)
_DATE_SEPARATORS = frozenset("/.-")
_HOURS = frozenset({"h", "heure", "heures"})
_NUMBER_JOINERS = frozenset("/.-,:")
# "le 18 du mois prochain": which month the day is in, as months after today's.
_MONTH_OF_DAY: tuple[tuple[tuple[str, ...], int | None], ...] = (
    (("du", "mois", "prochain"), 1),
    (("du", "mois", "suivant"), 1),
    (("du", "mois", "d", "apres"), 1),
    (("de", "ce", "mois"), 0),
    (("du", "mois"), None),
)


def day_and_month(reader: Reader, i: int) -> Match | None:
    """ "15 décembre", "1er déc. 2026", "vingt-deux janvier", "3 février prochain"."""
    day = day_number(reader, i, spelled=True)
    if day is None:
        return None
    number, j = day
    if reader.text(j) in ("-", "/") and reader.adjacent(j - 1):
        j += 1  # "15-déc"
    month = month_at(reader, j)
    if month is None:
        return None
    month_value, end = month
    year = year_at(reader, end)
    if year is not None:
        value = cal.exact_date(year[0], month_value, number)
        end = year[1]
    else:
        value = cal.next_month_day(reader.today, month_value, number)
    if reader.word(end) in NEXT:
        end += 1
    return Match(i, end, value, month_known=True)


def iso_date(reader: Reader, i: int) -> Match | None:
    """ "2026-12-15": year first, as computers write it."""
    year = year_at(reader, i)
    if year is None or reader.text(i + 1) != "-" or reader.text(i + 3) != "-":
        return None
    month, day = reader.number(i + 2), reader.number(i + 4)
    if (
        month is None
        or day is None
        or not all(reader.adjacent(i + k) for k in range(4))
    ):
        return None
    return Match(i, i + 5, cal.exact_date(year[0], month, day), month_known=True)


def numeric(reader: Reader, i: int) -> Match | None:
    """ "15/12", "15.12", "15-12", "15/12/2026", "15/12/26"."""
    day, month = reader.number(i), reader.number(i + 2)
    separator = reader.text(i + 1)
    if day is None or month is None or separator not in _DATE_SEPARATORS:
        return None
    if separator != "/" and not (reader.adjacent(i) and reader.adjacent(i + 1)):
        return None
    if reader.number(i - 2, 4) is not None and _joins_another_number(reader, i - 1):
        return None  # inside a longer number: "1.15.12", "2026-12-04"
    end, year = i + 3, None
    if reader.text(end) == separator and reader.adjacent(end - 1):
        year_token = reader.token(end + 1)
        digits = year_token.text if year_token and year_token.is_number else ""
        if len(digits) in (2, 4):
            year = 2000 + int(digits) if len(digits) == 2 else int(digits)
            end += 2
    if _is_amount_or_time(reader, i, end):
        return Match(i, end, None)
    if year is not None:
        value = cal.exact_date(year, month, day)
    else:
        value = cal.next_month_day(reader.today, month, day) if month <= 12 else None
    return Match(i, end, value, month_known=value is not None)


def spaced_numeric(reader: Reader, i: int) -> Match | None:
    """ "le 15 12", "le 15 12 2026": day and month separated by a space."""
    if reader.word(i - 1) not in ("le", "du", "au"):
        return None
    day, month = reader.number(i), reader.number(i + 1)
    if day is None or month is None or not 1 <= month <= 12:
        return None
    end, year = i + 2, year_at(reader, i + 2)
    if year is not None:
        end = year[1]
    following = reader.token(end)
    if following is not None and (following.is_number or _is_unit(following.norm)):
        return None
    if year is not None:
        return Match(i, end, cal.exact_date(year[0], month, day), month_known=True)
    value = cal.next_month_day(reader.today, month, day)
    return Match(i, end, value, month_known=True)


def day_only(reader: Reader, i: int) -> Match | None:
    """ "le 18", "au 15", "le 1er", "le quinze", "le 18 du mois prochain"."""
    before = reader.word(i - 1) or reader.text(i - 1)
    after_date = before in LIST_JOINERS and reader.last_date_end == i - 1
    if before not in DAY_INTRODUCERS and not after_date:
        return None
    spelled = before in ("le", "au", "du") and reader.number(i) is None
    return bare_day(reader, i, spelled)


def bare_day(reader: Reader, i: int, spelled: bool) -> Match | None:
    """Read a day number alone at `i`, unless what follows makes it a count."""
    day = day_number(reader, i, spelled)
    if day is None:
        return None
    number, end = day
    following = reader.token(end)
    if following is not None and not _is_time(reader, end):
        if following.is_number or _is_unit(following.norm):
            return None
        if following.is_word and reader.adjacent(end - 1):
            return None  # "le 5G"
        if _joins_another_number(reader, end):
            return None  # "le 19,99", "à 10:30"
        if spelled and following.is_word and following.norm not in _AFTER_SPELLED_DAY:
            return None
    months_ahead = None
    for words, step in _MONTH_OF_DAY:
        after = reader.phrase(end, *words)
        if after is not None:
            end, months_ahead = after, step
            break
    if reader.word(end) in NEXT:
        end += 1
    end = reader.phrase(end, "ci") or end
    if months_ahead is None:
        value = cal.next_day(reader.today, number)
    else:
        value = cal.day_in_month_after(reader.today, months_ahead, number)
    return Match(i, end, value, bare_day=number)


def _is_unit(norm: str) -> bool:
    return norm in UNIT_WORDS or norm in CURRENCY_OR_PERCENT


def _is_time(reader: Reader, i: int) -> bool:
    """Tell whether a time of day starts at `i` ("12h", "9 heures")."""
    return reader.number(i) is not None and reader.word(i + 1) in _HOURS


def _joins_another_number(reader: Reader, i: int) -> bool:
    """Tell whether token `i` glues the number before it to a number after it."""
    return (
        reader.text(i) in _NUMBER_JOINERS
        and reader.adjacent(i - 1)
        and reader.adjacent(i)
        and reader.number(i + 1, max_digits=4) is not None
    )


def _is_amount_or_time(reader: Reader, i: int, end: int) -> bool:
    """Tell a price, a time or a longer number from a numeric date."""
    following = reader.token(end)
    if following is not None:
        if _is_unit(following.norm):
            return True
        if _joins_another_number(reader, end):
            return True
    return reader.word(i - 1) in ("a", "vers") and reader.text(i + 1) == "."
