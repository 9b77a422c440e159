""" "Je n'ai pas reçu le code": a new code within the limits, and what to check."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.verification_code import send_code
from bot import verification
from bot.config import get_settings
from bot.db import ensure_schema, session_scope
from bot.masking import mask_msisdn


class ActionResendCode(Action):
    """Send a new code to the number of the pending verification."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_resend_code"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """A new code (the same answer whether or not the number is a customer's)."""
        settings = get_settings()
        ensure_schema(settings)
        with session_scope(settings) as session:
            number = verification.pending_number(session, tracker.sender_id)
        if number is None:
            dispatcher.utter_message(response="utter_no_code_pending")
            return []
        if not send_code(dispatcher, tracker, number):
            return [SlotSet("last_refusal", "too_many_codes")]
        dispatcher.utter_message(
            response="utter_code_resent", number=mask_msisdn(number)
        )
        return [SlotSet("otp_code", None)]
