"""Split a message into tokens, with identifiers hidden so their digits are not read."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.dates.lexicon import fold
from bot.normalize import find_entities

MASK = "_"
_TOKEN_RE = re.compile(r"_+|[0-9]+|[^\W\d_]+|\S")
SENTENCE_BREAKS = frozenset(". , ; : ! ? ( ) _ …".split())


@dataclass(frozen=True)
class Token:
    """A word, a number or a punctuation mark, with its place in the message."""

    text: str
    norm: str
    start: int
    end: int

    @property
    def is_number(self) -> bool:
        """Tell whether the token is a run of ASCII digits."""
        return self.text.isascii() and self.text.isdigit()

    @property
    def is_word(self) -> bool:
        """Tell whether the token is a run of letters."""
        return self.text.isalpha()


def mask_identifiers(text: str) -> str:
    """Replace phone numbers, order ids, RIO, e-mails and codes by underscores."""
    for entity in find_entities(text):
        width = entity.end - entity.start
        text = text[: entity.start] + MASK * width + text[entity.end :]
    return text


def tokenize(text: str) -> list[Token]:
    """Return the tokens of `text` after masking its identifiers."""
    return [
        Token(match.group(0), fold(match.group(0)), match.start(), match.end())
        for match in _TOKEN_RE.finditer(mask_identifiers(text))
    ]
