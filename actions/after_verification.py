"""Once the number is verified: say where the porting stands, or why nothing can be
done about it (the flow then stops)."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.porting_dates import review_date
from bot import porting_service
from bot.clock import today as today_for_rules
from bot.dates import format_french_date
from bot.porting_service import PortingView

REFUSAL_RESPONSES = {
    "completed": "utter_porting_already_completed",
    "cancelled": "utter_porting_already_cancelled",
    "deadline_passed": "utter_deadline_passed",
}


def after_verification(
    dispatcher: CollectingDispatcher,
    task: str | None,
    porting: PortingView | None,
    pending_date: str | None,
    msisdn: str,
) -> dict[str, Any]:
    """Say where the porting stands; stop the flow when nothing can be done."""
    if task == "order":
        return {}  # the submit action finds the order (or says there is none)
    if porting is None:
        dispatcher.utter_message(response="utter_no_porting")
        return {"porting_outcome": "no_porting"}
    if task == "status":
        return {}
    stopped = _cannot_be_changed(dispatcher, porting)
    if stopped:
        return {"porting_outcome": stopped}
    dispatcher.utter_message(
        response="utter_current_porting",
        date=format_french_date(porting.scheduled_on),
        slot=porting.slot_words,
    )
    if task == "cancel":
        dispatcher.utter_message(response="utter_cancel_consequence")
        return {}
    return review_date(dispatcher, porting, pending_date) if pending_date else {}


def _cannot_be_changed(
    dispatcher: CollectingDispatcher, porting: PortingView
) -> str | None:
    refusal = porting_service.why_unchangeable(porting, today_for_rules())
    if refusal is not None:
        dispatcher.utter_message(
            response=REFUSAL_RESPONSES[refusal],
            date=format_french_date(porting.scheduled_on),
        )
    return refusal
