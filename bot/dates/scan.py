"""Find every precise date in a message, in reading order."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from bot.dates import arithmetic as cal
from bot.dates.reader import APOSTROPHES, Match, Reader
from bot.dates.rules import RULES
from bot.dates.tokens import tokenize

# Words that may stand between the days of a range or a list: "du 8 au 15 décembre".
_RANGE_WORDS = frozenset(
    {"au", "a", "et", "ou", "le", "jusqu", "puis", "sinon", "voire"}
)


@dataclass(frozen=True)
class FoundDate:
    """A date read in a message: its value and where it was written."""

    value: date
    start: int
    end: int
    text: str


def read_dates(text: str, today: date) -> tuple[Reader, list[Match]]:
    """Return the message's tokens and every date read in them (with `value` set)."""
    reader = Reader(tokenize(text), today)
    matches: list[Match] = []
    i = 0
    while i < len(reader.tokens):
        best: Match | None = None
        for rule in RULES:
            found = rule(reader, i)
            if found is not None and (best is None or found.end > best.end):
                best = found
        if best is None:
            i += 1
            continue
        matches.append(best)
        if best.value is not None:
            reader.last_date_end = best.end
        i = best.end
    dated = [match for match in _with_months(reader, matches) if match.value]
    kept = [
        match
        for index, match in enumerate(dated)
        if not _is_a_week(reader, match)
        and not (index and _restates(reader, dated[index - 1], match))
    ]
    return reader, kept


def found_date(text: str, reader: Reader, match: Match) -> FoundDate:
    """Turn a match into the `FoundDate` that callers see."""
    assert match.value is not None
    start = reader.tokens[match.first].start
    end = reader.tokens[match.end - 1].end
    return FoundDate(match.value, start, end, text[start:end])


def find_dates(text: str, today: date) -> list[FoundDate]:
    """Return every precise date in `text`, resolved against `today`, in order."""
    reader, matches = read_dates(text, today)
    return [found_date(text, reader, match) for match in matches]


def _with_months(reader: Reader, matches: list[Match]) -> list[Match]:
    """Give a day written alone the month of the date it belongs with.

    "du 8 au 15 décembre": the 8th is in December too; "décaler le 8 décembre au 15":
    the 15th is the one of December.
    """
    result = list(matches)
    for index, match in enumerate(matches):
        if match.bare_day is None or match.value is None:
            continue
        value = None
        partner = _range_partner(reader, matches, index)
        if partner is not None and partner.value is not None:
            value = _day_before(partner.value, match.bare_day)
        else:
            earlier = [m for m in matches[:index] if m.month_known and m.value]
            if earlier and earlier[-1].value is not None:
                base = earlier[-1].value
                value = cal.exact_date(base.year, base.month, match.bare_day)
        if value is not None and value >= reader.today:
            result[index] = replace(match, value=value)
    return result


def _range_partner(reader: Reader, matches: list[Match], index: int) -> Match | None:
    """Return the dated match that closes a range or list opened at `index`."""
    if index + 1 >= len(matches) or not matches[index + 1].month_known:
        return None
    following = matches[index + 1]
    between = reader.tokens[matches[index].end : following.first]
    joined = all(
        token.norm in _RANGE_WORDS or token.text in APOSTROPHES or token.text in ",-"
        for token in between
    )
    return following if joined else None


def _day_before(end: date, day: int) -> date | None:
    """Return day `day` of `end`'s month, or of the month before if it is later."""
    if day <= end.day:
        return cal.exact_date(end.year, end.month, day)
    year, month = (end.year, end.month - 1) if end.month > 1 else (end.year - 1, 12)
    return cal.exact_date(year, month, day)


def _restates(reader: Reader, before: Match, match: Match) -> bool:
    """ "le 16/12 (mercredi)": a weekday right after a date, naming its weekday."""
    if match.weekday is None or before.value is None:
        return False
    between = reader.tokens[before.end : match.first]
    return before.value.weekday() == match.weekday and not any(
        token.is_word or token.is_number for token in between
    )


def _is_a_week(reader: Reader, match: Match) -> bool:
    """ "la semaine du 14 décembre" names a week, not a day."""
    return reader.word(match.first - 1) in ("du", "de") and (
        reader.word(match.first - 2) == "semaine"
    )
