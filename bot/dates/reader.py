"""A cursor over the tokens of a message, and the small pieces every pattern reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.dates.lexicon import MONTH_ABBREVIATIONS, TENS, UNITS, month_number
from bot.dates.tokens import Token

APOSTROPHES = frozenset("'’`")


@dataclass(frozen=True)
class Match:
    """What a pattern read from token `first` up to `end` (excluded).

    `value` is None when the words have the shape of a date that does not exist
    ("31 novembre") or are a number that must not be read again ("19.99 €").
    """

    first: int
    end: int
    value: date | None
    month_known: bool = False
    bare_day: int | None = None
    # Today, yesterday, "mardi dernier": they situate a message, rarely request a date.
    weak: bool = False
    # Set for a weekday read alone ("mardi"), which may only restate the date before.
    weekday: int | None = None


@dataclass
class Reader:
    """The tokens of one message, the reference day and where the last date ended."""

    tokens: list[Token]
    today: date
    last_date_end: int = -1

    def token(self, i: int) -> Token | None:
        """Return token `i`, or None past either end."""
        return self.tokens[i] if 0 <= i < len(self.tokens) else None

    def word(self, i: int) -> str:
        """Return the folded word at `i`, or "" if there is no word there."""
        token = self.token(i)
        return token.norm if token is not None and token.is_word else ""

    def text(self, i: int) -> str:
        """Return the text of token `i`, or "" past either end."""
        token = self.token(i)
        return token.text if token is not None else ""

    def number(self, i: int, max_digits: int = 2) -> int | None:
        """Return the value of a number of at most `max_digits` digits at `i`."""
        token = self.token(i)
        if token is None or not token.is_number or len(token.text) > max_digits:
            return None
        return int(token.text)

    def adjacent(self, i: int) -> bool:
        """Tell whether tokens `i` and `i + 1` touch (no space between them)."""
        left, right = self.token(i), self.token(i + 1)
        return left is not None and right is not None and left.end == right.start

    def joiner(self, i: int) -> int:
        """Skip a hyphen or an apostrophe at `i` ("vingt-deux", "aujourd'hui")."""
        return i + 1 if self.text(i) == "-" or self.text(i) in APOSTROPHES else i

    def phrase(self, i: int, *words: str) -> int | None:
        """Return the index after `words` read from `i`, hyphens allowed, or None."""
        for expected in words:
            i = self.joiner(i)
            if self.word(i) != expected:
                return None
            i += 1
        return i


def spelled_number(reader: Reader, i: int) -> tuple[int, int] | None:
    """Read a number written in letters, "premier" to "soixante-neuf"."""
    word = reader.word(i)
    if word == "premier":
        return 1, i + 1
    if word == "dix":
        j = reader.joiner(i + 1)
        unit = UNITS.get(reader.word(j), 0)
        return (10 + unit, j + 1) if 7 <= unit <= 9 else (10, i + 1)
    if word in TENS:
        base = TENS[word]
        j = reader.joiner(i + 1)
        if reader.word(j) == "et":
            k = reader.joiner(j + 1)
            if reader.word(k) in ("un", "une"):
                return base + 1, k + 1
        unit = UNITS.get(reader.word(j), 0)
        return (base + unit, j + 1) if 2 <= unit <= 9 else (base, i + 1)
    if word in UNITS:
        return UNITS[word], i + 1
    return None


def day_number(reader: Reader, i: int, spelled: bool) -> tuple[int, int] | None:
    """Read a day of the month at `i`: "15", "1er", "1 er", "quinze", "premier"."""
    number = reader.number(i)
    if number is not None:
        after = reader.word(i + 1)
        if number == 1 and after in ("er", "ere", "ier", "e"):
            return 1, i + 2
        if after in ("e", "eme", "ieme", "em"):
            return None  # "le 2e": an ordinal, not a date
        return number, i + 1
    if not spelled or reader.word(i) in ("un", "une"):
        return None
    return spelled_number(reader, i)


def month_at(reader: Reader, i: int) -> tuple[int, int] | None:
    """Read a month name at `i`, with the dot of an abbreviation ("déc.")."""
    word = reader.word(i)
    month = month_number(word) if word else None
    if month is None:
        return None
    if word in MONTH_ABBREVIATIONS and reader.text(i + 1) == "." and reader.adjacent(i):
        return month, i + 2
    return month, i + 1


def year_at(reader: Reader, i: int) -> tuple[int, int] | None:
    """Read a four-digit year at `i` (1900 to 2100)."""
    year = reader.number(i, max_digits=4)
    if year is None or not 1900 <= year <= 2100:
        return None
    return year, i + 1
