r"""Find and normalise the identifiers customers type: phone, order, e-mail, RIO, code.

Each `normalize_*` function takes what a customer typed for one value and returns the
canonical form, or None when it is not one. `find_entities` scans a whole message and
returns every identifier found, longest and most specific first, so that the digits of
a phone number are never read again as a one-time code. Canonical values are ASCII:
`\d` also matches the digits of other scripts ("٤٨٢", full-width "４８２"), which come
back as 0-9.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

_SEP = r"[\s.\-]?"

EMAIL_RE = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])"
)
ORDER_ID_RE = re.compile(
    r"(?<![A-Za-z0-9])cmd[\s_-]?(\d{4})[\s_-]?(\d{6})(?!\d)", re.IGNORECASE
)
# Operator code (2 digits), type (P or E), reference (6) and key (3), spaces allowed
# between groups as printed on the RIO letter: "02 P K7T 2QX TB6".
_RIO_SEP = r"[\s-]?"
RIO_RE = re.compile(
    r"(?<![A-Za-z0-9+-])(\d\d)" + _RIO_SEP + r"([PEpe])"
    r"((?:" + _RIO_SEP + r"[A-Za-z0-9]){6})"
    r"((?:" + _RIO_SEP + r"[A-Za-z0-9+]){3})(?![A-Za-z0-9+])"
)
# Not inside a longer number; "+33" starts a number even right after a digit
# ("06 12 34 56 78+33 7 …": two numbers).
PHONE_RE = re.compile(
    r"(?:(?<![\d+])(?:00\s?33\s?(?:\(0\)\s?)?|0)|(?<!\+)\+\s?33\s?(?:\(0\)\s?)?)"
    r"[1-9](?:" + _SEP + r"\d){8}(?!" + _SEP + r"\d)"
)
RIO_WORD_RE = re.compile(r"\brio\b", re.IGNORECASE)
OTP_RE = re.compile(r"(?<![\w.,-])\d{3}[\s.\-]?\d{3}(?![\s.,\-]?\d)")


@dataclass(frozen=True)
class FoundEntity:
    """An identifier found in a message: its kind, canonical value and position."""

    entity: str
    value: str
    start: int
    end: int
    text: str


def normalize_email(text: str) -> str | None:
    """Return the e-mail address in lower case, or None if `text` is not one."""
    text = text.strip()
    match = EMAIL_RE.fullmatch(text)
    return match.group(0).lower() if match else None


def normalize_order_id(text: str) -> str | None:
    """Return `CMD-YYYY-NNNNNN`, or None if `text` is not an order number."""
    match = ORDER_ID_RE.fullmatch(text.strip())
    return _order_value(match) if match else None


def normalize_rio(text: str) -> str | None:
    """Return the 12-character RIO in upper case without spaces, or None."""
    match = RIO_RE.fullmatch(text.strip())
    if not match or not _looks_like_rio(match.group(0), said_rio=True):
        return None
    return _ascii_digits(_compact(match.group(0)).upper())


def normalize_phone_number(text: str) -> str | None:
    """Return the 10-digit national number ("+33 6 12 34 56 78" -> 0612345678)."""
    match = PHONE_RE.fullmatch(text.strip())
    return _national_digits(match.group(0)) if match else None


def normalize_otp_code(text: str) -> str | None:
    """Return the 6 digits of a one-time code ("482 913" -> 482913), or None."""
    match = OTP_RE.fullmatch(text.strip())
    return _code_value(match) if match else None


def find_entities(text: str) -> list[FoundEntity]:
    """Return every identifier in `text`, without overlaps, in reading order."""
    masked = text
    found: list[FoundEntity] = []
    said_rio = RIO_WORD_RE.search(text) is not None
    for entity, pattern, canonical in _EXTRACTORS:
        for match in pattern.finditer(masked):
            value = canonical(match, said_rio)
            if value is None:
                continue
            start, end = match.span()
            found.append(FoundEntity(entity, value, start, end, text[start:end]))
            # Hide what was taken so that later, looser patterns cannot reuse it.
            masked = masked[:start] + "_" * (end - start) + masked[end:]
    return sorted(found, key=lambda item: item.start)


def _compact(text: str) -> str:
    return re.sub(r"[\s-]", "", text)


def _ascii_digits(text: str) -> str:
    """Write the digits of any script as 0-9 ("٠٦" -> "06"), leaving the rest."""
    if text.isascii():
        return text
    return "".join(
        str(unicodedata.decimal(char)) if char.isdecimal() else char for char in text
    )


def _order_value(match: re.Match[str]) -> str:
    return _ascii_digits(f"CMD-{match.group(1)}-{match.group(2)}")


def _code_value(match: re.Match[str]) -> str:
    return _ascii_digits(re.sub(r"\D", "", match.group(0)))


def _national_digits(text: str) -> str:
    digits = _ascii_digits(re.sub(r"\D", "", text.replace("(0)", "")))
    if digits.startswith("0033"):
        digits = digits[4:]
    elif digits.startswith("33") and len(digits) == 11:
        digits = digits[2:]
    return digits if digits.startswith("0") else "0" + digits


def _looks_like_rio(raw: str, said_rio: bool = False) -> bool:
    """Tell a RIO from ordinary words that happen to fit its shape ("12 personnes").

    A RIO is printed in capitals, in groups. Typed in lower case, its reference and
    key mix digits with letters, which words never do; and it comes in one piece
    unless the message names the RIO ("le 15 pour le 2 dec" is not one).
    """
    compact = _compact(raw)
    if compact.upper() == compact:
        return True
    tail = compact[3:]
    mixed = any(char.isdigit() for char in tail) and any(
        char.isalpha() for char in tail
    )
    return mixed and (compact == raw or said_rio)


def _rio_value(match: re.Match[str], said_rio: bool) -> str | None:
    raw = match.group(0)
    if not _looks_like_rio(raw, said_rio):
        return None
    return _ascii_digits(_compact(raw).upper())


# Each canonical function takes the match and whether the message names the RIO.
_EXTRACTORS: list[
    tuple[str, re.Pattern[str], Callable[[re.Match[str], bool], str | None]]
] = [
    ("email", EMAIL_RE, lambda m, _: m.group(0).lower()),
    ("order_id", ORDER_ID_RE, lambda m, _: _order_value(m)),
    ("phone_number", PHONE_RE, lambda m, _: _national_digits(m.group(0))),
    ("rio", RIO_RE, _rio_value),
    ("otp_code", OTP_RE, lambda m, _: _code_value(m)),
]
