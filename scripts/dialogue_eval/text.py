"""Folding texts, matching `|`-separated alternatives, finding a button to click."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

# Characters that NFKD does not take apart but a reader takes as the same letters.
_LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "’": "'", "‘": "'", "ʼ": "'"}
)
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower case, no accents, typographic apostrophes as ', one space between words."""
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return _SPACES.sub(" ", text.casefold()).strip()


def alternatives(item: str) -> list[str]:
    """The alternatives of an item ("48 heures|48 h"), stripped, empty ones dropped."""
    return [part.strip() for part in item.split("|") if part.strip()]


def item_matches(item: str, pieces: Iterable[str]) -> bool:
    """True when one of the item's alternatives appears in one of the pieces."""
    folded = [fold(piece) for piece in pieces]
    return any(fold(alt) in piece for alt in alternatives(item) for piece in folded)


def matching_piece(item: str, pieces: Iterable[str]) -> str | None:
    """The first piece in which one of the item's alternatives appears, or None."""
    for piece in pieces:
        if item_matches(item, [piece]):
            return piece
    return None


def answer_pieces(messages: Sequence[dict[str, Any]]) -> list[str]:
    """The texts and button titles of a list of bot messages, in order."""
    pieces: list[str] = []
    for message in messages:
        if message.get("text"):
            pieces.append(str(message["text"]))
        pieces.extend(str(button.get("title", "")) for button in buttons_of([message]))
    return pieces


def buttons_of(messages: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every button of a list of bot messages, in order."""
    return [
        button
        for message in messages
        for button in message.get("buttons") or []
        if isinstance(button, dict)
    ]


def find_button(
    buttons: Sequence[dict[str, Any]], choice: str | int
) -> dict[str, Any] | None:
    """The button at 1-based position `choice`, or the first whose title starts with
    it (case and accents ignored); None when there is none."""
    if isinstance(choice, int):
        return buttons[choice - 1] if 1 <= choice <= len(buttons) else None
    wanted = fold(choice)
    for button in buttons:
        if fold(str(button.get("title", ""))).startswith(wanted):
            return button
    return None


def button_payload(button: dict[str, Any]) -> str:
    """What tapping the button sends: its payload, or its title when it has none."""
    return str(button.get("payload") or button.get("title") or "")


def excerpt(text: str, limit: int = 160) -> str:
    """The text on one line, cut to `limit` characters."""
    flat = _SPACES.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
