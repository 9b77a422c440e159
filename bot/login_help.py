"""Questions about logging in to the customer area, answered by topic."""

from __future__ import annotations

import re

from bot.dates.lexicon import fold

FORGOTTEN_EMAIL = re.compile(
    r"(oubli|sai[st] plus|rappel\w* plus|souvien\w* (plus|pas)|retrouv"
    r"|quel(le)? (adresse|mail|e-?mail)).*(adresse|mail|e-?mail|inscri|identifiant)"
    r"|(adresse|mail|e-?mail).*(oubli|sai[st] plus|rappel\w* plus|retrouv)"
)


def login_topic(text: str) -> str:
    """`forgotten_email` when the customer lost their login address, else
    `identifier` (which login for whom)."""
    return "forgotten_email" if FORGOTTEN_EMAIL.search(fold(text)) else "identifier"


_CHANGE_FAILED = re.compile(
    r"(echou|echec|marche pas|fonctionne pas|impossible|erreur|refus|bloqu|"
    r"n arrive pas|arrive pas|pas possible|deja utilise)"
)


def email_change_failed(text: str) -> bool:
    """Tell whether a question about changing the login e-mail says it failed."""
    return _CHANGE_FAILED.search(fold(text).replace("'", " ")) is not None
