"""The callback form: which number an advisor calls, and in which half-day."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.handoff import conversation_facts, support_hours
from bot import verification_lifetime
from bot.config import get_settings
from bot.db import lock_for_write, session_scope
from bot.handoff import callbacks, chatwoot
from bot.handoff.hours import Slot, french_slot
from bot.masking import mask_msisdn
from bot.normalize import normalize_phone_number
from bot.porting_service import spaced_number

CALLBACK_SLOTS = ("callback_number", "callback_slot", "handoff_reason")
SLOT_KEY_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
AFTERNOON_RE = re.compile(r"apr[eè]s[ -]?midi|aprem", re.IGNORECASE)
MORNING_RE = re.compile(r"\bmatin", re.IGNORECASE)


def offered_slots() -> list[Slot]:
    """The half-days a callback can be booked in, from now."""
    return support_hours().callback_slots(datetime.now(timezone.utc))


def _verified(tracker: Tracker) -> str | None:
    msisdn = tracker.get_slot("verified_msisdn")
    if not msisdn:
        return None
    with session_scope(get_settings()) as session:
        ok = verification_lifetime.is_verified(
            session, msisdn=msisdn, conversation_id=tracker.sender_id
        )
    return msisdn if ok else None


def slot_from_message(message: dict[str, Any], slots: list[Slot]) -> Slot | None:
    """The offered slot a message names: a button, or a day with matin/après-midi."""
    text = message.get("text") or ""
    entities = {e["entity"]: e.get("value") for e in message.get("entities") or []}
    key = entities.get("callback_slot") or next(iter(SLOT_KEY_RE.findall(text)), None)
    if key:
        return next((slot for slot in slots if slot.key == key), None)
    day = entities.get("date")
    if not day:
        return None
    matching = [slot for slot in slots if slot.start.date().isoformat() == day]
    if AFTERNOON_RE.search(text):
        matching = [slot for slot in matching if not slot.is_morning]
    elif MORNING_RE.search(text):
        matching = [slot for slot in matching if slot.is_morning]
    return matching[0] if len(matching) == 1 else None


class ValidateCallbackForm(FormValidationAction):
    """Check the number to call and the chosen half-day."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "validate_callback_form"

    async def extract_callback_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Read the half-day from a button or from words, when it is asked."""
        if tracker.get_slot("requested_slot") != "callback_slot":
            return {}
        slot = slot_from_message(tracker.latest_message, offered_slots())
        return {"callback_slot": slot.key if slot else "unknown"}

    def validate_callback_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, _: Any
    ) -> dict[str, Any]:
        """The verified number ("oui"), or a French number the customer types."""
        if value == "verified":
            number = _verified(tracker)
        else:
            number = normalize_phone_number(str(value or ""))
        if number is None:
            dispatcher.utter_message(response="utter_invalid_callback_number")
            return {"callback_number": None}
        return {"callback_number": number}

    def validate_callback_slot(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, _: Any
    ) -> dict[str, Any]:
        """Keep a half-day that is still offered."""
        if any(slot.key == value for slot in offered_slots()):
            return {"callback_slot": value}
        dispatcher.utter_message(response="utter_callback_slot_not_understood")
        return {"callback_slot": None}


class ActionAskCallbackNumber(Action):
    """Ask which number to call: the verified one as a button, or another."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_ask_callback_number"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Offer the verified number when there is one."""
        verified = _verified(tracker)
        if verified:
            dispatcher.utter_message(
                response="utter_ask_callback_number_verified",
                number=mask_msisdn(verified),
            )
        else:
            dispatcher.utter_message(response="utter_ask_callback_number")
        return []


class ActionAskCallbackSlot(Action):
    """Offer the next half-days as buttons."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_ask_callback_slot"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """One button per half-day."""
        buttons = [
            {
                "title": french_slot(slot),
                "payload": f'/inform{{"callback_slot": "{slot.key}"}}',
            }
            for slot in offered_slots()
        ]
        dispatcher.utter_message(response="utter_ask_callback_slot", buttons=buttons)
        return []


class ActionCallbackSubmit(Action):
    """Book the callback; it appears in the advisors' queue."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_callback_submit"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Store the callback and tell the customer when and where they are called."""
        number = tracker.get_slot("callback_number")
        key = tracker.get_slot("callback_slot")
        slot = next((s for s in offered_slots() if s.key == key), None)
        clear = [SlotSet(name, None) for name in CALLBACK_SLOTS]
        if not number or slot is None:
            dispatcher.utter_message(response="utter_callback_slot_not_understood")
            return clear
        with session_scope(get_settings()) as session:
            lock_for_write(session)  # reads, then writes: no lock upgrade on SQLite
            facts = conversation_facts(tracker, session)
            ticket = callbacks.book(
                session,
                reason=tracker.get_slot("handoff_reason") or "customer_request",
                number=number,
                slot=slot,
                **facts,
            )
            if chatwoot.in_chatwoot(ticket):
                chatwoot.callback_booked(session, ticket, slot)
        dispatcher.utter_message(
            response="utter_callback_booked",
            number=spaced_number(number),
            slot=french_slot(slot),
        )
        return clear
