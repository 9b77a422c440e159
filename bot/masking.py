"""Hide most of an identifier when it is shown or logged.

The masks avoid "*", which chat widgets read as markdown emphasis.
"""

from __future__ import annotations


def mask_email(email: str) -> str:
    """Keep the first letter of the local part and the domain: m…@example.fr."""
    local, _, domain = email.rpartition("@")
    return f"{local[:1]}…@{domain}" if domain else "…"


def mask_msisdn(msisdn: str) -> str:
    """Keep the first and last two digits of a number: 06 xx xx xx 78."""
    if len(msisdn) != 10:
        return "xx"
    return f"{msisdn[:2]} xx xx xx {msisdn[-2:]}"
