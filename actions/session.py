"""Session start: the operator's name in a slot for the responses; a conversation an
advisor still holds stays paused in its new session; the verifications of the
previous session end (a new code is needed to see or change a porting)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import (
    ActionExecuted,
    ConversationPaused,
    EventType,
    SessionStarted,
    SlotSet,
)
from rasa_sdk.executor import CollectingDispatcher

from bot import verification_lifetime
from bot.config import get_settings
from bot.db import ensure_schema, session_scope
from bot.handoff import tickets


class ActionSessionStart(Action):
    """Start a session with the operator's name from the configuration."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_session_start"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        """Start the session, set `operator_name`, then listen."""
        events: list[EventType] = [
            SessionStarted(),
            SlotSet("operator_name", get_settings().operator_name),
        ]
        if _new_session_held_by_advisors(tracker.sender_id):
            events.append(ConversationPaused())
        return [*events, ActionExecuted("action_listen")]


def _new_session_held_by_advisors(conversation_id: str) -> bool:
    """End the last session's verifications; tell whether the conversation waits
    for, or is held by, an advisor."""
    settings = get_settings()
    ensure_schema(settings)
    with session_scope(settings) as session:
        # A write first (SQLite's lock taken before any read, bot.db.lock_for_write).
        verification_lifetime.end_verifications(session, conversation_id)
        ticket = tickets.open_ticket_for(session, conversation_id)
        return ticket is not None and ticket.kind == "chat"
