"""Hand the conversation over to an advisor."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot.handoff import request_handoff


class ActionRequestHuman(Action):
    """Record the request for an advisor and tell the customer."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_request_human"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        """Record the handoff request, then confirm it to the customer."""
        reason = (
            "after_fallback"
            if tracker.latest_message.get("intent", {}).get("name") == "affirm"
            else "customer_request"
        )
        request_handoff(
            conversation_id=tracker.sender_id,
            channel=tracker.get_latest_input_channel() or "unknown",
            reason=reason,
        )
        dispatcher.utter_message(response="utter_handoff_requested")
        return []
