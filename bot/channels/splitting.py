"""Cut long answers into parts a channel accepts, at paragraph, line, sentence, word.

A part never ends inside a sentence unless the sentence alone is too long, and
neighbouring pieces share a part whenever they fit together.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.sms import segments, to_gsm7

Fits = Callable[[str], bool]
SMS_MAX_SEGMENTS = 2
# Paragraphs, then lines, then sentences, then words.
_BOUNDARIES = (
    re.compile(r"(\n\s*\n)"),
    re.compile(r"(\n)"),
    re.compile(r"(?<=[.!?…])(\s+)"),
    re.compile(r"(\s+)"),
)


def split_text(text: str, fits: Fits) -> list[str]:
    """Return the parts of `text`, each accepted by `fits`, in order."""
    text = text.strip()
    if not text:
        return []
    return [part.strip() for part in _split(text, fits, 0) if part.strip()]


def split_to_length(
    text: str, limit: int, measure: Callable[[str], int] = len
) -> list[str]:
    """Cut `text` into parts of at most `limit` (characters, unless `measure`)."""
    return split_text(text, lambda part: measure(part) <= limit)


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts it (an emoji counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def sms_parts(text: str, max_segments: int = SMS_MAX_SEGMENTS) -> list[str]:
    """Fold `text` into GSM-7 and cut it into SMS of at most `max_segments` each."""
    return split_text(to_gsm7(text), lambda part: segments(part) <= max_segments)


def _split(text: str, fits: Fits, level: int) -> list[str]:
    if fits(text):
        return [text]
    if level == len(_BOUNDARIES):
        return _cut(text, fits)
    pieces = _BOUNDARIES[level].split(text)
    if len(pieces) == 1:
        return _split(text, fits, level + 1)
    parts: list[str] = []
    separator = ""
    for index, piece in enumerate(pieces):
        if index % 2:  # the separators sit at odd indexes
            separator = piece
            continue
        if parts and fits(parts[-1] + separator + piece):
            parts[-1] += separator + piece
        elif fits(piece):
            parts.append(piece)
        else:
            parts.extend(_split(piece, fits, level + 1))
    return parts


def _cut(text: str, fits: Fits) -> list[str]:
    """Cut a text without any boundary at the longest prefixes that fit."""
    parts = []
    while text:
        low, high = 1, len(text)
        while low < high:  # the longest prefix that fits (at least one character)
            middle = (low + high + 1) // 2
            if fits(text[:middle]):
                low = middle
            else:
                high = middle - 1
        parts.append(text[:low])
        text = text[low:]
    return parts
