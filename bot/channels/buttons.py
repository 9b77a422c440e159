"""Buttons on text-only channels: a numbered list, and a number reply read back.

"1. Oui, je confirme" / "2. Non": the customer answers "2" and the assistant gets
the second button's payload, as if it had been tapped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

NUMBER_REPLY_RE = re.compile(r"\s*(\d{1,2})\s*[.)]?\s*")


@dataclass(frozen=True)
class Choice:
    """One button: what the customer reads and what the assistant receives."""

    title: str
    payload: str

    def to_dict(self) -> dict[str, str]:
        """Return the button as stored: {"title": ..., "payload": ...}."""
        return {"title": self.title, "payload": self.payload}


def choices_from(buttons: Iterable[Mapping[str, Any]]) -> list[Choice]:
    """Read Rasa buttons (or stored choices); a button without a payload is dropped."""
    choices = []
    for button in buttons:
        payload = str(button.get("payload") or "").strip()
        if payload:
            choices.append(Choice(str(button.get("title") or payload), payload))
    return choices


def numbered(text: str, choices: Sequence[Choice], start: int = 1) -> str:
    """Return `text` followed by the choices as a numbered list, from `start`."""
    lines = [
        f"{number}. {choice.title}" for number, choice in enumerate(choices, start)
    ]
    if not lines:
        return text
    return "\n".join([text.rstrip(), "", *lines]) if text.strip() else "\n".join(lines)


def chosen_payload(reply: str, choices: Sequence[Choice]) -> str | None:
    """Return the payload of the choice a number reply names ("2", " 2. "), or None."""
    match = NUMBER_REPLY_RE.fullmatch(reply)
    if not match:
        return None
    number = int(match.group(1))
    return choices[number - 1].payload if 1 <= number <= len(choices) else None


def titled_payload(reply: str, choices: Sequence[Choice]) -> str | None:
    """Return the payload of the choice whose title is the reply (case, spaces aside).

    Channels that show buttons as their own quick replies (WhatsApp through a
    helpdesk, say) send back the title the customer tapped.
    """
    wanted = " ".join(reply.split()).casefold()
    for choice in choices:
        if wanted and " ".join(choice.title.split()).casefold() == wanted:
            return choice.payload
    return None
