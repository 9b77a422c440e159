"""Start and interrupt the verified flows: porting change, cancellation, status,
and order status (actions/porting_submit.py finishes them)."""

from __future__ import annotations

import re
import uuid
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.after_verification import after_verification
from actions.handoff import REFUSAL_REASONS, escalate
from actions.verification_code import order_line
from bot import orders, porting_faq, porting_service, verification_lifetime
from bot.clock import today
from bot.config import get_settings
from bot.db import ensure_schema, session_scope
from bot.intent_rules import cancels_this_porting, second_request
from bot.normalize import normalize_phone_number
from bot.porting_faq import PortingTopic

TASKS = {
    "change_porting_date": "change",
    "cancel_porting": "cancel",
    "ask_porting_date": "status",
    "order_status": "order",
}
FLOW_SLOTS = (
    "porting_task",
    "change_request_id",
    "requested_date",
    "date_suggestions",
    "confirmation",
    "porting_outcome",
    "otp_code",
    "order_id",
    "also_task",
)
# "annule", "stop"... alone inside a flow mean "leave", not "cancel my porting".
STOP_WORDS = re.compile(
    r"^\W*(annule[rz]?|annulation|stop+|arr[eê]te[rz]?|laisse[rz]? tomber|"
    r"on arr[eê]te|c'est bon|rien)\W*$",
    re.IGNORECASE,
)


def reset_flow(keep: dict[str, Any] | None = None) -> list[EventType]:
    """Clear the flow's slots, but those given in `keep`."""
    values = {slot: None for slot in FLOW_SLOTS} | (keep or {})
    return [SlotSet(slot, value) for slot, value in values.items()]


def _task_events(tracker: Tracker, intent: str | None = None) -> list[EventType]:
    """Slots for a new task from the latest message; forget a stale verification.

    The task is the message's intent, or `intent` when given (English requests).
    """
    intent = intent or tracker.latest_message.get("intent", {}).get("name")
    entities = {e["entity"]: e["value"] for e in tracker.latest_message["entities"]}
    task = TASKS.get(intent, "status")
    keep = {
        "porting_task": task,
        "also_task": second_request(tracker.latest_message.get("text") or "", task),
        "change_request_id": f"{tracker.sender_id}:{uuid.uuid4().hex}",
        "requested_date": entities.get("date") or entities.get("date_period"),
        "order_id": entities.get("order_id"),
    }
    events = reset_flow(keep)
    verified = tracker.get_slot("verified_msisdn")
    number = normalize_phone_number(str(entities.get("phone_number", "")))
    if verified and number and number != verified:
        events.append(SlotSet("verified_msisdn", None))
    if verified and not _still_verified(tracker.sender_id, verified):
        events.append(SlotSet("verified_msisdn", None))
    return events


def _other_line(order_id: str | None, verified: str | None) -> str | None:
    """The line of a named order when it is not the verified line, else None."""
    if not order_id or not verified:
        return None
    with session_scope(get_settings()) as session:
        order = orders.find_order(session, order_id)
    return order.msisdn if order is not None and order.msisdn != verified else None


def start_task(
    dispatcher: CollectingDispatcher, tracker: Tracker, intent: str | None = None
) -> list[EventType]:
    """Events that start a task; a conversation verified earlier hears at once
    where the porting stands (and the flow stops if nothing can be done). A
    porting question asked in the same message is answered first."""
    side = porting_faq.side_question(tracker.latest_message.get("text") or "")
    if side is not None:
        dispatcher.utter_message(response=porting_faq.TOPIC_RESPONSES[side])
    events = _task_events(tracker, intent)
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    msisdn = tracker.get_slot("verified_msisdn")
    other = _other_line(slots.get("order_id"), msisdn)
    if other is not None:
        # An order of another line: that line must be verified too, and we say so.
        dispatcher.utter_message(response="utter_order_of_another_line")
        return [
            *events,
            SlotSet("verified_msisdn", None),
            SlotSet("phone_number", other),
        ]
    if not msisdn or "verified_msisdn" in slots:
        line = order_line(dispatcher, slots.get("order_id"))
        # The form validates this number as if typed: the code goes to the line.
        return [*events, SlotSet("phone_number", line)] if line else events
    with session_scope(get_settings()) as session:
        porting = porting_service.find_porting(session, msisdn)
    outcome = after_verification(
        dispatcher, slots["porting_task"], porting, slots["requested_date"], msisdn
    )
    return events + [SlotSet(name, value) for name, value in outcome.items()]


def _still_verified(conversation_id: str, msisdn: str) -> bool:
    settings = get_settings()
    ensure_schema(settings)
    with session_scope(settings) as session:
        return verification_lifetime.is_verified(
            session, msisdn=msisdn, conversation_id=conversation_id
        )


def _gives_a_date(tracker: Tracker) -> bool:
    entities = tracker.latest_message.get("entities") or []
    return any(e.get("entity") in ("date", "date_period") for e in entities)


def _insists(tracker: Tracker) -> str | None:
    """The refusal a verified customer asks again to get past, or None."""
    refused = tracker.get_slot("last_refusal")
    intent = tracker.latest_message.get("intent", {}).get("name")
    msisdn = tracker.get_slot("verified_msisdn")
    if not refused or TASKS.get(intent) not in ("change", "cancel") or not msisdn:
        return None
    if not _still_verified(tracker.sender_id, msisdn):
        return None
    with session_scope(get_settings()) as session:
        porting = porting_service.find_porting(session, msisdn)
    again = porting_service.why_unchangeable(porting, today())
    return again if again == refused else None


class ActionStartPortingTask(Action):
    """Begin a change, cancellation or status request (before the form)."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_start_porting_task"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Set the task and a new request id, keeping a date given in the message;
        a customer who insists after a refusal is handed to an advisor."""
        text = tracker.latest_message.get("text") or ""
        topic = porting_faq.topic_of(text)
        if topic is PortingTopic.CHOOSE_DATE:
            # "Je peux choisir la date en souscrivant ?": a question, not a request.
            dispatcher.utter_message(response="utter_porting_choose_date")
            return [FollowupAction("action_listen")]
        intent = tracker.latest_message.get("intent", {}).get("name")
        asks_slot_change = intent in ("change_porting_date", "cancel_porting")
        if (
            topic is PortingTopic.SLOT
            and asks_slot_change
            and not _gives_a_date(tracker)
        ):
            # "Mettez-la l'après-midi": the slot is not the assistant's to change
            # ("à quel créneau est-elle prévue ?" is a status question: answered).
            dispatcher.utter_message(response="utter_porting_slot")
            return [
                SlotSet("last_refusal", "slot_change"),
                FollowupAction("utter_offer_advisor_after_refusal"),
            ]
        if topic is PortingTopic.SLOT and intent == "ask_porting_date":
            # "Matin ou après-midi ?": how the slot is known, then the status.
            dispatcher.utter_message(response="utter_porting_slot")
        refused = _insists(tracker)
        if refused:
            dispatcher.utter_message(response="utter_insist_handoff")
            return escalate(dispatcher, tracker, REFUSAL_REASONS[refused])
        return start_task(dispatcher, tracker)


def answers_cancel_confirmation(tracker: Tracker) -> bool:
    """Tell whether a cancellation the customer says answers "Vous confirmez
    l'annulation … ?": the porting's cancellation is being confirmed and the
    message names no order ("annulez", "je confirme l'annulation")."""
    return tracker.get_slot("requested_slot") == "confirmation" and (
        cancels_this_porting(
            tracker.get_slot("porting_task"), tracker.latest_message.get("text") or ""
        )
    )


class ActionPortingInterrupt(Action):
    """Inside the form, a porting intent: leave on "annule"/"stop", else switch.

    The rules read `porting_interruption` to deactivate the form or run it again.
    """

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_porting_interrupt"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Stop the form, or restart it on the task the customer now asks for."""
        if answers_cancel_confirmation(tracker):
            # "Oui, annulez-la": the form reads the answer, the task goes on.
            return [SlotSet("porting_interruption", "switch")]
        if STOP_WORDS.match(tracker.latest_message.get("text") or ""):
            dispatcher.utter_message(response="utter_form_stopped")
            return [*reset_flow(), SlotSet("porting_interruption", "stop")]
        return [
            *start_task(dispatcher, tracker),
            SlotSet("porting_interruption", "switch"),
        ]


class ActionCancelOrderInFlow(Action):
    """ "Annule" alone inside a flow leaves it; "annulez ma commande" gets the
    answer that the assistant cannot cancel an order, and the flow goes on.

    The rules read `porting_interruption` (stop or resume).
    """

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_cancel_order_in_flow"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Leave the flow, or say an order cannot be cancelled here."""
        if answers_cancel_confirmation(tracker):
            # "Oui, j'annule" names no order: the form reads the answer.
            return [SlotSet("porting_interruption", "resume")]
        if STOP_WORDS.match(tracker.latest_message.get("text") or ""):
            dispatcher.utter_message(response="utter_form_stopped")
            return [*reset_flow(), SlotSet("porting_interruption", "stop")]
        dispatcher.utter_message(response="utter_cannot_cancel_order")
        return [SlotSet("porting_interruption", "resume")]
