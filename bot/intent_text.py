"""The text the intent classifier reads: identifiers and dates as placeholders, and
SMS-speak's glued "je" ("jveux") written apart.

"cmd2026-004512 elle en est où" and "ma commande CMD-2026-004587 elle en est où"
should look alike to a classifier: the order number, the phone number, the e-mail,
the RIO, the code and the dates are replaced by one word each, at training and at
prediction alike.
"""

from __future__ import annotations

import re
from datetime import date

from bot.dates import find_dates
from bot.normalize import find_entities

PLACEHOLDERS = {
    "phone_number": "numerotel",
    "order_id": "numcommande",
    "email": "adressemail",
    "rio": "coderio",
    "otp_code": "codesms",
    "date": "ladate",
}
# Any fixed day works: dates are only located, never resolved, here.
_SOME_DAY = date(2026, 1, 1)
# SMS-speak "jveux", "jchange", "jsuis": "je" glued to a verb starting with a
# consonant (French words never start with "j" then a consonant).
_GLUED_JE = re.compile(r"\bj(?=[bcdfghklmnpqrstvwxz][a-zà-ÿ]{2,})", re.IGNORECASE)


# Halves of UTF-16 pairs alone: JSON may carry them ("\ud800"), UTF-8 cannot.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def masked_for_intent(text: str) -> str:
    """`text` with identifiers and dates replaced by placeholder words (and lone
    surrogates by U+FFFD: the sentence encoder reads UTF-8)."""
    text = _LONE_SURROGATE.sub("\ufffd", text)
    spans = [
        (found.start, found.end, PLACEHOLDERS[found.entity])
        for found in find_entities(text)
    ]
    taken = [(start, end) for start, end, _ in spans]
    for found in find_dates(text, _SOME_DAY):
        if not any(found.start < end and start < found.end for start, end in taken):
            spans.append((found.start, found.end, PLACEHOLDERS["date"]))
    for start, end, word in sorted(spans, reverse=True):
        text = f"{text[:start]} {word} {text[end:]}"
    return " ".join(_GLUED_JE.sub("je ", text).split())
