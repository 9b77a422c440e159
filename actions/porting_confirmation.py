"""The porting form's confirmation question: the change or the cancellation, with
the dates in full."""

from __future__ import annotations

from datetime import date

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot import porting_service
from bot.config import get_settings
from bot.dates import format_french_date
from bot.db import session_scope


class ActionAskConfirmation(Action):
    """Ask to confirm the change or the cancellation, with the dates in full."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_ask_confirmation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list:
        """Utter the confirmation question for the current task."""
        with session_scope(get_settings()) as session:
            porting = porting_service.find_porting(
                session, tracker.get_slot("verified_msisdn")
            )
        old = format_french_date(porting.scheduled_on)
        if tracker.get_slot("porting_task") == "cancel":
            dispatcher.utter_message(response="utter_ask_confirm_cancel", date=old)
            return []
        new = date.fromisoformat(tracker.get_slot("requested_date"))
        dispatcher.utter_message(
            response="utter_ask_confirm_change",
            old=old,
            new=format_french_date(new),
            slot=porting.slot_words,
        )
        return []
