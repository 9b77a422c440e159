"""Who is asking for access: the contract's holder or a user declared on a line."""

from __future__ import annotations

import re
import unicodedata

HOLDER = "holder"
USER = "user"
_HOLDER_RE = re.compile(
    r"\b(titulaire|le contrat est a (mon|moi)|c'?est moi qui ai souscrit)"
)
_USER_RE = re.compile(r"\b(utilisat(eur|rice)|declare|pas (le|la) titulaire)")


def role_of(text: str) -> str | None:
    """Return HOLDER or USER from what the person says, or None if unclear."""
    folded = unicodedata.normalize("NFD", text.lower())
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    if _USER_RE.search(folded):
        return USER
    if _HOLDER_RE.search(folded):
        return HOLDER
    return None
