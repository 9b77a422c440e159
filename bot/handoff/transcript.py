"""The conversation so far, as an agent reads it: who said what, codes hidden.

Built from the tracker's events (plain dicts, as the action server receives them):
a tapped button shows as its title, and one-time codes typed by the customer are
masked, whether the NLU found them or not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from bot.masking import mask_codes


@dataclass(frozen=True)
class Line:
    """One message of the transcript."""

    author: str  # customer | assistant | agent
    text: str
    at: datetime


def customer_text(text: str, entities: Iterable[Mapping[str, Any]] = ()) -> str:
    """A customer's message with its one-time codes masked."""
    spans = [
        (int(entity["start"]), int(entity["end"]))
        for entity in entities
        if entity.get("entity") == "otp_code" and "start" in entity and "end" in entity
    ]
    return mask_codes(text, spans)


def event_time(event: Mapping[str, Any]) -> datetime:
    """When a tracker event happened (now, if it does not say)."""
    stamp = event.get("timestamp")
    if isinstance(stamp, int | float):
        return datetime.fromtimestamp(stamp, timezone.utc)
    return datetime.now(timezone.utc)


def _buttons(event: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    data = event.get("data") or {}
    return list(data.get("buttons") or [])


def _bot_text(event: Mapping[str, Any]) -> str:
    text = (event.get("text") or "").strip()
    titles = [str(button.get("title", "")) for button in _buttons(event)]
    if titles:
        text += "".join(f"\n[{title}]" for title in titles if title)
    return text.strip()


def _user_text(event: Mapping[str, Any], buttons: list[Mapping[str, Any]]) -> str:
    text = (event.get("text") or "").strip()
    if text.startswith("/"):
        for button in buttons:
            if str(button.get("payload", "")).strip() == text:
                return f"[{button.get('title', '')}]"
        return ""  # a payload no button offered (the widget's opening, say)
    entities = (event.get("parse_data") or {}).get("entities") or []
    return customer_text(text, entities)


def from_events(events: Iterable[Mapping[str, Any]]) -> list[Line]:
    """The customer's and the assistant's messages, oldest first."""
    lines: list[Line] = []
    offered: list[Mapping[str, Any]] = []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            text = _user_text(event, offered)
            if text:
                lines.append(Line("customer", text, event_time(event)))
        elif kind == "bot":
            text = _bot_text(event)
            offered = _buttons(event) or offered
            author = "agent" if (event.get("metadata") or {}).get("handoff") else None
            if text:
                lines.append(Line(author or "assistant", text, event_time(event)))
        elif kind in ("session_started", "restart"):
            offered = []
    return lines
