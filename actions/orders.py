"""Send the link to the contract, after a verified order-status answer."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.config import get_settings
from bot.contract_link import send_contract_link
from bot.db import session_scope


class ActionSendContractLink(Action):
    """E-mail the holder the link to the contract in the customer area."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_send_contract_link"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Queue the e-mail for the verified line's holder and say where it goes."""
        msisdn = tracker.get_slot("verified_msisdn")
        settings = get_settings()
        with session_scope(settings) as session:
            masked = (
                send_contract_link(
                    session,
                    msisdn=msisdn,
                    conversation_id=tracker.sender_id,
                    settings=settings,
                )
                if msisdn
                else None
            )
        if masked is None:
            dispatcher.utter_message(response="utter_anything_else")
            return []
        dispatcher.utter_message(response="utter_contract_link_sent", email=masked)
        return []
