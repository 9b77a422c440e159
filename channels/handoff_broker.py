"""Every message of a conversation handed to advisors reaches its ticket.

While an agent holds a conversation, Rasa keeps it paused: it logs the customer's
messages and runs no action. This event broker (endpoints.yml, `event_broker`) sees
each logged message, on every channel, and appends it to the open ticket of its
conversation, one-time codes masked; so are the assistant's own messages (the place
in the queue, the agent's arrival). Other conversations cost one indexed lookup per
message.
"""

from __future__ import annotations

import logging
from asyncio import AbstractEventLoop
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.utils.endpoints import EndpointConfig

from bot.db import ensure_schema, lock_for_write, session_scope
from bot.handoff import tickets
from bot.handoff.transcript import customer_text, event_time

logger = logging.getLogger(__name__)


def transcript_line(event: dict[str, Any]) -> tuple[str, str] | None:
    """(author, text) of a message event worth a ticket's transcript, else None.

    Agents' messages are written by the console itself; tapped buttons are
    dialogue with the assistant.
    """
    kind, text = event.get("event"), str(event.get("text") or "").strip()
    if not text:
        return None
    if kind == "user" and not text.startswith("/"):
        entities = (event.get("parse_data") or {}).get("entities") or []
        return "customer", customer_text(text, entities)
    if kind == "bot" and not (event.get("metadata") or {}).get("handoff"):
        return "assistant", text
    return None


def record_message(event: dict[str, Any]) -> bool:
    """Append a message event to its conversation's open ticket; False if none."""
    conversation_id = str(event.get("sender_id") or "")
    line = transcript_line(event)
    if not conversation_id or line is None:
        return False
    author, text = line
    at = event_time(event)
    # Most messages belong to no ticket: a read-only look first, without the lock.
    with session_scope() as session:
        if tickets.open_ticket_for(session, conversation_id) is None:
            return False
    with session_scope() as session:
        # Reads, then writes: take SQLite's write lock first (no lock upgrade,
        # which fails at once with "database is locked" under load).
        lock_for_write(session)
        ticket = tickets.open_ticket_for(session, conversation_id)
        if ticket is None:
            return False
        # The message that asked for an advisor is already in the transcript.
        if tickets.has_message(session, ticket, author, text, at):
            return False
        tickets.add_message(session, ticket, author, text, at=at)
    return True


class HandoffEventBroker(EventBroker):
    """Copies messages into open tickets; ignores every other event."""

    @classmethod
    async def from_endpoint_config(
        cls,
        broker_config: EndpointConfig,
        event_loop: AbstractEventLoop | None = None,
    ) -> HandoffEventBroker:
        """Create the broker (it has no settings of its own)."""
        ensure_schema()
        return cls()

    def publish(self, event: dict[str, Any]) -> None:
        """Record a message; never let a failure stop the conversation."""
        if event.get("event") not in ("user", "bot"):
            return
        try:
            record_message(event)
        except Exception:
            logger.exception("a message could not be added to its ticket")
