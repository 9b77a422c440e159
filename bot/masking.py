"""Hide most of an identifier when it is shown or logged.

The masks avoid "*", which chat widgets read as markdown emphasis.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def mask_email(email: str) -> str:
    """Keep the first letter of the local part and the domain: m…@example.fr."""
    local, _, domain = email.rpartition("@")
    return f"{local[:1]}…@{domain}" if domain else "…"


def mask_msisdn(msisdn: str) -> str:
    """Keep the first and last two digits of a number: 06 xx xx xx 78."""
    if len(msisdn) != 10:
        return "xx"
    return f"{msisdn[:2]} xx xx xx {msisdn[-2:]}"


# Six digits standing alone ("482913", "482 913", "482-913"), not part of a longer
# number, an order id (CMD-2026-004512) or a word.
_CODE_RE = re.compile(r"(?<![\w-])\d{3}[ .-]?\d{3}(?![\w-])")
CODE_MASK = "••••••"


def mask_codes(text: str, spans: Iterable[tuple[int, int]] = ()) -> str:
    """Hide one-time codes in a customer's message (and the given character spans)."""
    chars = list(text)
    for start, end in sorted(spans, reverse=True):
        if 0 <= start < end <= len(chars):
            chars[start:end] = CODE_MASK
    return _CODE_RE.sub(CODE_MASK, "".join(chars))
