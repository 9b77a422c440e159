"""The wish that closes a conversation, matching the customer's own."""

from __future__ import annotations

import re

from bot.dates.lexicon import fold

# The customer's wish, most specific first; the default is "bonne journée".
_WISHES = (
    (re.compile(r"\bbonne fin (de )?journee\b"), "bonne fin de journée"),
    (re.compile(r"\bbonne (soiree|soire|soir)\b|\bbonsoir\b"), "bonne soirée"),
    (re.compile(r"\bbonne nuit\b"), "bonne nuit"),
    (re.compile(r"\bbon (week ?end|we|weekend)\b"), "bon week-end"),
    (re.compile(r"\bbonnes? (fetes|vacances)\b"), "bonnes fêtes"),
)
DEFAULT_WISH = "bonne journée"


def wish_for(text: str) -> str:
    """ "bonne soirée" to a customer who wished one; "bonne journée" otherwise."""
    words = " ".join(re.findall(r"[a-z]+", fold(text).replace("-", " ")))
    for pattern, wish in _WISHES:
        if pattern.search(words):
            return wish
    return DEFAULT_WISH
