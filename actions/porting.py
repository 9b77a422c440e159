"""Start, interrupt and finish the verified flows: porting change, cancellation,
status, and order status."""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.porting_form import after_verification
from bot import orders, porting_service, verification
from bot.clock import today
from bot.config import get_settings
from bot.dates import format_french_date
from bot.db import ensure_schema, session_scope
from bot.normalize import normalize_phone_number
from bot.porting_service import Outcome

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
)
# "annule", "stop"... alone inside a flow mean "leave", not "cancel my porting".
STOP_WORDS = re.compile(
    r"^\W*(annule[rz]?|annulation|stop+|arr[eê]te[rz]?|laisse[rz]? tomber|"
    r"on arr[eê]te|c'est bon|rien)\W*$",
    re.IGNORECASE,
)


def _reset(keep: dict[str, Any] | None = None) -> list[EventType]:
    values = {slot: None for slot in FLOW_SLOTS} | (keep or {})
    return [SlotSet(slot, value) for slot, value in values.items()]


def _task_events(tracker: Tracker) -> list[EventType]:
    """Slots for a new task from the latest message; forget a stale verification."""
    intent = tracker.latest_message.get("intent", {}).get("name")
    entities = {e["entity"]: e["value"] for e in tracker.latest_message["entities"]}
    keep = {
        "porting_task": TASKS.get(intent, "status"),
        "change_request_id": f"{tracker.sender_id}:{uuid.uuid4().hex}",
        "requested_date": entities.get("date"),
        "order_id": entities.get("order_id"),
    }
    events = _reset(keep)
    verified = tracker.get_slot("verified_msisdn")
    number = normalize_phone_number(str(entities.get("phone_number", "")))
    if verified and number and number != verified:
        events.append(SlotSet("verified_msisdn", None))
    if verified and not _still_verified(tracker.sender_id, verified):
        events.append(SlotSet("verified_msisdn", None))
    return events


def _order_line(dispatcher: CollectingDispatcher, order_id: str | None) -> str | None:
    """The line of the order the customer named, to send the code to it."""
    if not order_id:
        return None
    with session_scope(get_settings()) as session:
        order = orders.find_order(session, order_id)
    if order is None:
        dispatcher.utter_message(response="utter_order_not_found", order_id=order_id)
        return None
    return order.msisdn


def _start_task(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """Events that start a task; a conversation verified earlier hears at once
    where the porting stands (and the flow stops if nothing can be done)."""
    events = _task_events(tracker)
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    msisdn = tracker.get_slot("verified_msisdn")
    if not msisdn or "verified_msisdn" in slots:
        line = _order_line(dispatcher, slots.get("order_id"))
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
        return verification.is_verified(
            session, msisdn=msisdn, conversation_id=conversation_id
        )


class ActionStartPortingTask(Action):
    """Begin a change, cancellation or status request (before the form)."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_start_porting_task"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Set the task and a new request id, keeping a date given in the message."""
        return _start_task(dispatcher, tracker)


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
        if STOP_WORDS.match(tracker.latest_message.get("text") or ""):
            dispatcher.utter_message(response="utter_form_stopped")
            return [*_reset(), SlotSet("porting_interruption", "stop")]
        return [
            *_start_task(dispatcher, tracker),
            SlotSet("porting_interruption", "switch"),
        ]


class ActionPortingSubmit(Action):
    """Apply the confirmed change or cancellation, or tell the status."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_porting_submit"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Do the task if the flow reached its end, then clear the flow's slots."""
        msisdn = tracker.get_slot("verified_msisdn")
        task = tracker.get_slot("porting_task")
        if tracker.get_slot("porting_outcome") or not msisdn:
            return _reset()
        settings = get_settings()
        with session_scope(settings) as session:
            # Defence in depth: the slot alone is not proof of verification.
            if not verification.is_verified(
                session, msisdn=msisdn, conversation_id=tracker.sender_id
            ):
                return [SlotSet("verified_msisdn", None), *_reset()]
            if task == "order":
                return _say_order(dispatcher, session, msisdn, tracker)
            porting = porting_service.find_porting(session, msisdn)
            if task == "status":
                _say_status(dispatcher, porting)
                return _reset()
            if not tracker.get_slot("confirmation"):
                dispatcher.utter_message(
                    response="utter_nothing_changed",
                    date=format_french_date(porting.scheduled_on),
                )
                return _reset()
            common = {
                "msisdn": msisdn,
                "today": today(),
                "conversation_id": tracker.sender_id,
                "request_id": tracker.get_slot("change_request_id"),
                "channel": tracker.get_latest_input_channel() or "unknown",
                "settings": settings,
            }
            if task == "change":
                new_date = date.fromisoformat(tracker.get_slot("requested_date"))
                result = porting_service.change_date(
                    session, new_date=new_date, **common
                )
            else:
                result = porting_service.cancel(session, **common)
        _say_result(dispatcher, task, result)
        return _reset()


def _say_order(
    dispatcher: CollectingDispatcher, session: Any, msisdn: str, tracker: Tracker
) -> list[EventType]:
    """The order's status, what is missing, and the offer of the contract link."""
    named = tracker.get_slot("order_id")
    order = orders.find_order(session, named) if named else None
    if order is None or order.msisdn != msisdn:
        order = orders.latest_order(session, msisdn)
    if order is None:
        dispatcher.utter_message(response="utter_no_order")
        return _reset()
    dispatcher.utter_message(
        response=orders.STATUS_RESPONSES[order.status],
        order_id=order.order_id,
        documents=orders.missing_documents_words(order) or "des pièces justificatives",
    )
    dispatcher.utter_message(response="utter_order_follow_up")
    return [*_reset(), FollowupAction("utter_offer_contract_link")]


def _say_status(dispatcher: CollectingDispatcher, porting: Any) -> None:
    if porting is None:
        dispatcher.utter_message(response="utter_no_porting")
        return
    dispatcher.utter_message(
        response=f"utter_porting_status_{porting.status.value}",
        date=format_french_date(porting.scheduled_on),
        slot=porting.slot_words,
    )


def _say_result(
    dispatcher: CollectingDispatcher, task: str, result: porting_service.Result
) -> None:
    porting = result.porting
    when = format_french_date(porting.scheduled_on) if porting else ""
    if result.outcome is Outcome.APPLIED:
        response = "utter_change_done" if task == "change" else "utter_cancel_done"
        dispatcher.utter_message(response=response, date=when, slot=porting.slot_words)
    elif result.outcome is Outcome.ALREADY_APPLIED:
        dispatcher.utter_message(response="utter_already_done")
    elif result.outcome is Outcome.REFUSED:
        dispatcher.utter_message(response="utter_deadline_passed", date=when)
    elif result.outcome is Outcome.NOT_SCHEDULED:
        dispatcher.utter_message(response="utter_porting_already_cancelled")
    else:
        dispatcher.utter_message(response="utter_no_porting")
