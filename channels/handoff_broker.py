"""Every message of a conversation handed to advisors reaches its ticket.

While an agent holds a conversation, Rasa keeps it paused: it logs the customer's
messages and runs no action. This event broker (endpoints.yml, `event_broker`) sees
each logged message, on every channel, and appends it to the open ticket of its
conversation, one-time codes masked; so are the assistant's own messages (the place
in the queue, the agent's arrival). Other conversations cost one indexed lookup per
turn: the tracker stores hand over a turn's events together (`publish_many`).
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
    return record_messages([event]) == 1


def record_messages(events: list[dict[str, Any]]) -> int:
    """Append the message events of one conversation's turn to its open ticket.

    One lookup for the whole turn (a customer's message and the assistant's
    answers), not one per event. Returns how many were added.
    """
    lines = [
        (str(event.get("sender_id") or ""), line, event_time(event))
        for event in events
        if (line := transcript_line(event)) is not None
    ]
    conversations = {conversation_id for conversation_id, _, _ in lines}
    if len(conversations) > 1:  # Rasa streams one conversation at a time
        return sum(record_messages([event]) for event in events)
    conversation_id = conversations.pop() if conversations else ""
    if not conversation_id:
        return 0
    # Most messages belong to no ticket: a read-only look first, without the lock.
    with session_scope() as session:
        if not tickets.has_open_ticket(session, conversation_id):
            return 0
    added = 0
    with session_scope() as session:
        # Reads, then writes: take SQLite's write lock first (no lock upgrade,
        # which fails at once with "database is locked" under load).
        lock_for_write(session)
        ticket = tickets.open_ticket_for(session, conversation_id)
        if ticket is None:
            return 0
        for _, (author, text), at in lines:
            # The message that asked for an advisor is already in the transcript.
            if tickets.has_message(session, ticket, author, text, at):
                continue
            tickets.add_message(session, ticket, author, text, at=at)
            added += 1
    return added


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
        self.publish_many([event])

    def publish_many(self, events: list[dict[str, Any]]) -> None:
        """Record the messages of one turn (channels/stores.py streams them so)."""
        messages = [event for event in events if event.get("event") in ("user", "bot")]
        if not messages:
            return
        try:
            record_messages(messages)
        except Exception:
            logger.exception("a message could not be added to its ticket")
