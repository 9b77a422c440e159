"""Sending the SMS verification code: to the number the customer gave, or to the
line of the order they named."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import orders, verification
from bot.config import get_settings
from bot.db import ensure_schema, lock_for_write, session_scope
from bot.verification import TooManyCodes


def send_code(dispatcher: CollectingDispatcher, tracker: Tracker, msisdn: str) -> bool:
    """Send a code to the number for this conversation; False (and the customer is
    told when to try again) when the number had its codes for the hour."""
    settings = get_settings()
    ensure_schema(settings)
    try:
        with session_scope(settings) as session:
            lock_for_write(session)  # reads, then writes: no lock upgrade on SQLite
            verification.send_code(
                session,
                msisdn=msisdn,
                conversation_id=tracker.sender_id,
                settings=settings,
            )
    except TooManyCodes as refusal:
        local = refusal.retry_after.astimezone(ZoneInfo(settings.timezone))
        dispatcher.utter_message(
            response="utter_too_many_codes", time=local.strftime("%Hh%M")
        )
        return False
    return True


def order_line(dispatcher: CollectingDispatcher, order_id: str | None) -> str | None:
    """The line of the order the customer named, to send the code to it; an
    unknown order is said so."""
    if not order_id:
        return None
    with session_scope(get_settings()) as session:
        order = orders.find_order(session, order_id)
    if order is None:
        dispatcher.utter_message(response="utter_order_not_found", order_id=order_id)
        return None
    return order.msisdn
