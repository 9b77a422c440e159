"""Steps from a date already set: "décaler d'une semaine", "le lendemain"."""

from __future__ import annotations

from datetime import timedelta

from bot.dates.reader import Match, Reader, spelled_number
from bot.dates.scan import FoundDate

# Verbs that move a date, by their stems: "décalez", "reporté", "repousser".
_LATER_STEMS = ("decal", "report", "repouss", "retard", "recul", "differ", "deplac")
_EARLIER_STEMS = ("avanc",)
_TARGETS = frozenset({"au", "a", "pour", "vers"})
_RESULT_WORDS = frozenset({"soit", "donc", "dire", "fait", "ferait", "donne", "ca"})
_NEIGHBOUR_DAYS = {"lendemain": 1, "surlendemain": 2, "veille": -1}


def stepped_date(
    text: str, reader: Reader, matches: list[Match], old: list[bool]
) -> FoundDate | None:
    """Return the date a step leads to from the date it starts from, if both exist."""
    for i in range(len(reader.tokens)):
        step = _step_at(reader, i)
        if step is None:
            continue
        days, first, end = step
        earlier = [m for m in matches if m.end <= first]
        later = [
            m
            for m, is_old in zip(matches, old, strict=True)
            if m.first >= end and (is_old or _names_the_set_date(reader, end, m))
        ]
        base = earlier[-1] if earlier else (later[0] if later else None)
        if base is None or base.value is None:
            continue
        start, stop = reader.tokens[first].start, reader.tokens[end - 1].end
        return FoundDate(base.value + timedelta(days), start, stop, text[start:stop])
    return None


def _names_the_set_date(reader: Reader, end: int, match: Match) -> bool:
    """ "décaler d'une semaine le 8": a date after the step is where it starts from...

    ... unless it is the step's result said again: "reporter de deux jours, soit le
    10", "décaler d'une semaine, au 15".
    """
    if reader.word(match.first - 1) in _TARGETS:
        return False
    between = {reader.word(i) for i in range(end, match.first)}
    return not between & _RESULT_WORDS


def _step_at(reader: Reader, i: int) -> tuple[int, int, int] | None:
    """Read a step at `i`: (days, first token, end token), e.g. "de deux jours"."""
    word = reader.word(i)
    if word in _NEIGHBOUR_DAYS:
        if reader.word(i - 1) not in ("le", "la"):
            return None  # "en veille": the phone's, not a day
        return _NEIGHBOUR_DAYS[word], i - 1, i + 1
    if word not in ("de", "d"):
        return None
    verbs = [reader.word(j) for j in range(max(0, i - 6), i)]
    if any(verb.startswith(_EARLIER_STEMS) for verb in verbs):
        sign = -1
    elif any(verb.startswith(_LATER_STEMS) for verb in verbs):
        sign = 1
    else:
        return None
    j = reader.joiner(i + 1)
    number = reader.number(j)
    read = (number, j + 1) if number is not None else spelled_number(reader, j)
    if read is None:
        return None
    count, k = read
    unit = reader.word(k)
    if unit in ("jour", "jours"):
        days = count
    elif unit in ("semaine", "semaines"):
        days = 7 * count
    else:
        return None
    end = k + 1
    if reader.phrase(end, "plus", "tot") is not None:
        sign, end = -1, end + 2
    elif reader.phrase(end, "plus", "tard") is not None:
        end += 2
    return sign * days, i, end
