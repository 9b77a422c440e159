"""Session start: puts the configured operator name in a slot for the responses."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.config import get_settings


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
        return [
            SessionStarted(),
            SlotSet("operator_name", get_settings().operator_name),
            ActionExecuted("action_listen"),
        ]
