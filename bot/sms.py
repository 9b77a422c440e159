"""SMS length: GSM-7 alphabet, segment counting, and transliteration into GSM-7.

A text with a single character outside GSM-7 is sent as UCS-2 (70 characters a
segment instead of 160), so French texts are folded into GSM-7 before sending.
"""

from __future__ import annotations

import unicodedata

GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = "^{}\\[~]|€\f"  # each takes two septets
_REPLACEMENTS = {"’": "'", "‘": "'", "«": '"', "»": '"', "–": "-", "—": "-", "…": "..."}
SINGLE_SEGMENT = 160
MULTI_SEGMENT = 153


def to_gsm7(text: str) -> str:
    """Replace what GSM-7 cannot carry ("ê" -> "e", "’" -> "'", NBSP -> space)."""
    folded = []
    for char in text:
        if char in GSM7_BASIC or char in GSM7_EXTENDED:
            folded.append(char)
        elif char in _REPLACEMENTS:
            folded.append(_REPLACEMENTS[char])
        elif char.isspace():
            folded.append(" ")
        else:
            base = unicodedata.normalize("NFD", char)[0]
            folded.append(base if base in GSM7_BASIC else "?")
    return "".join(folded)


def segments(text: str) -> int:
    """Number of SMS segments `text` takes (GSM-7 if it fits, else UCS-2)."""
    if all(char in GSM7_BASIC or char in GSM7_EXTENDED for char in text):
        septets = sum(2 if char in GSM7_EXTENDED else 1 for char in text)
        return 1 if septets <= SINGLE_SEGMENT else -(-septets // MULTI_SEGMENT)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= 70 else -(-units // 67)
