"""Finish the verified flows: apply a confirmed change or cancellation, tell the
status or the order; after a refusal, offer an advisor."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.porting import reset_flow
from bot import orders, porting_service, verification_lifetime
from bot.clock import today
from bot.config import get_settings
from bot.dates import format_french_date
from bot.db import lock_for_write, session_scope
from bot.porting_service import Outcome


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
        refusal = tracker.get_slot("porting_outcome")
        if refusal:
            return [*reset_flow(), *offer_advisor_after(refusal)]
        if not msisdn:
            return reset_flow()
        try:
            return _submit(dispatcher, tracker, msisdn, task)
        except SQLAlchemyError:
            # The transaction rolled back as a whole: nothing changed, nothing queued.
            dispatcher.utter_message(response="utter_backend_error")
            return [*reset_flow(), *offer_advisor_after("backend_error")]


def _submit(
    dispatcher: CollectingDispatcher, tracker: Tracker, msisdn: str, task: str
) -> list[EventType]:
    settings = get_settings()
    with session_scope(settings) as session:
        lock_for_write(session)  # reads, then writes: no lock upgrade on SQLite
        # Defence in depth: the slot alone is not proof of verification.
        if not verification_lifetime.is_verified(
            session, msisdn=msisdn, conversation_id=tracker.sender_id
        ):
            return [SlotSet("verified_msisdn", None), *reset_flow()]
        porting = porting_service.find_porting(session, msisdn)
        if {task, tracker.get_slot("also_task")} == {"status", "order"}:
            # Both asked in one message: the porting's date, then the order.
            _say_status(dispatcher, porting)
            return _say_order(dispatcher, session, msisdn, tracker)
        if task == "order":
            return _say_order(dispatcher, session, msisdn, tracker)
        if task == "status":
            _say_status(dispatcher, porting)
            return reset_flow()
        if not tracker.get_slot("confirmation"):
            dispatcher.utter_message(
                response="utter_nothing_changed",
                date=format_french_date(porting.scheduled_on),
            )
            return reset_flow()
        common = {
            "msisdn": msisdn,
            "today": today(),
            "conversation_id": tracker.sender_id,
            "request_id": tracker.get_slot("change_request_id"),
            "channel": tracker.get_latest_input_channel() or "unknown",
            "settings": settings,
        }
        result = _apply(session, task, tracker, common)
    _say_result(dispatcher, task, result)
    return reset_flow()


def _apply(
    session: Any, task: str, tracker: Tracker, common: dict[str, Any]
) -> porting_service.Result:
    if task == "change":
        new_date = date.fromisoformat(tracker.get_slot("requested_date"))
        return porting_service.change_date(session, new_date=new_date, **common)
    return porting_service.cancel(session, **common)


def offer_advisor_after(refusal: str) -> list[EventType]:
    """Remember why the assistant stopped, and ask whether an advisor should help."""
    return [
        SlotSet("last_refusal", refusal),
        FollowupAction("utter_offer_advisor_after_refusal"),
    ]


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
        return reset_flow()
    dispatcher.utter_message(
        response=orders.STATUS_RESPONSES[order.status],
        order_id=order.order_id,
        documents=orders.missing_documents_words(order) or "des pièces justificatives",
    )
    dispatcher.utter_message(response="utter_order_follow_up")
    return [*reset_flow(), FollowupAction("utter_offer_contract_link")]


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
