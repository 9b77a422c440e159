"""Questions about logging in to the customer area, answered by topic."""

from __future__ import annotations

import re

from bot.dates.lexicon import fold

FORGOTTEN_EMAIL = re.compile(
    r"(oubli|sai[st] plus|rappel\w* plus|retrouv|quel(le)? (adresse|mail|e-?mail))"
    r".*(adresse|mail|e-?mail|inscri|identifiant)"
    r"|(adresse|mail|e-?mail).*(oubli|sai[st] plus|rappel\w* plus|retrouv)"
)


def login_topic(text: str) -> str:
    """`forgotten_email` when the customer lost their login address, else
    `identifier` (which login for whom)."""
    return "forgotten_email" if FORGOTTEN_EMAIL.search(fold(text)) else "identifier"
