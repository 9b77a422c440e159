"""The new porting date: read it (a date, a period, one of the dates offered),
check it against the rules, offer dates when it is refused or vague, ask for it."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot import porting_service
from bot.clock import today as today_for_rules
from bot.config import get_settings
from bot.dates import format_french_date
from bot.dates.offered import pick_offered
from bot.dates.periods import Period
from bot.db import session_scope
from bot.porting import allowed_window
from bot.porting_faq import PortingTopic, topic_of
from bot.porting_service import PortingView

MAX_BUTTONS = 6


def offered_dates(tracker: Tracker) -> list[date]:
    """The dates the assistant offered last (slot `date_suggestions`)."""
    return [
        date.fromisoformat(day) for day in tracker.get_slot("date_suggestions") or []
    ]


def new_date_in(tracker: Tracker) -> str | None:
    """The date (ISO) or period (`Period.iso`) the latest message gives, if any:
    one of the dates offered, a date, or a period."""
    message = tracker.latest_message
    text = message.get("text") or ""
    if text.startswith("/"):
        text = ""  # a button's payload: its entity says the date
    picked = pick_offered(text, today_for_rules(), offered_dates(tracker))
    if picked is not None:
        return picked.isoformat()
    entities = {e["entity"]: e.get("value") for e in message.get("entities") or []}
    return entities.get("date") or entities.get("date_period")


def _mentions_slot(tracker: Tracker) -> bool:
    text = tracker.latest_message.get("text") or ""
    return topic_of(text) is PortingTopic.SLOT


def review_date(
    dispatcher: CollectingDispatcher,
    porting: PortingView | None,
    value: Any,
    tracker: Tracker | None = None,
) -> dict[str, Any]:
    """Accept a date that passes the rules, else explain and offer dates; for a
    period, offer its allowed days."""
    if porting is None:
        return {"requested_date": None, "porting_outcome": "no_porting"}
    if tracker is not None and _mentions_slot(tracker):
        dispatcher.utter_message(response="utter_slot_not_chosen")
    period = Period.from_iso(str(value)) if "/" in str(value) else None
    if period is not None:
        return _review_period(dispatcher, porting, period)
    try:
        requested = date.fromisoformat(str(value))
    except ValueError:
        dispatcher.utter_message(response="utter_date_not_understood")
        return {"requested_date": None}
    review = porting_service.review_new_date(porting, requested, today_for_rules())
    if review.decision.allowed:
        return {"requested_date": requested.isoformat(), "date_suggestions": None}
    dispatcher.utter_message(
        response=f"utter_date_refused_{review.decision.reason}",
        date=format_french_date(requested),
        last=format_french_date(review.last),
        holiday=review.holiday or "",
    )
    if review.decision.reason == "deadline_passed":
        return {"requested_date": None, "porting_outcome": "deadline_passed"}
    suggestions = [day.isoformat() for day in review.suggestions]
    if suggestions:
        dispatcher.utter_message(response="utter_nearest_dates")
    return {"requested_date": None, "date_suggestions": suggestions or None}


def _review_period(
    dispatcher: CollectingDispatcher, porting: PortingView, period: Period
) -> dict[str, Any]:
    """The allowed days of the period, offered; or the nearest ones if none."""
    today = today_for_rules()
    days = porting_service.dates_in_period(porting, period.start, period.end, today)
    if period.latest:
        days = days[-3:]
    if len(days) == 1:
        return {"requested_date": days[0].isoformat(), "date_suggestions": None}
    if days:
        dispatcher.utter_message(response="utter_period_dates")
        return {
            "requested_date": None,
            "date_suggestions": [d.isoformat() for d in days],
        }
    nearest = porting_service.review_new_date(porting, period.start, today).suggestions
    dispatcher.utter_message(
        response="utter_period_no_date",
        first=format_french_date(period.start),
        last=format_french_date(period.end),
    )
    if nearest:
        dispatcher.utter_message(response="utter_nearest_dates")
    return {
        "requested_date": None,
        "date_suggestions": [day.isoformat() for day in nearest] or None,
    }


class ActionAskRequestedDate(Action):
    """Ask for the new date: the window, or the dates offered as buttons."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_ask_requested_date"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list:
        """Utter the question with buttons when dates are offered."""
        suggestions = offered_dates(tracker)
        if suggestions:
            buttons = [
                {
                    "title": format_french_date(day),
                    "payload": f'/inform{{"date": "{day.isoformat()}"}}',
                }
                for day in suggestions[:MAX_BUTTONS]
            ]
            more = len(suggestions) > MAX_BUTTONS
            dispatcher.utter_message(
                response="utter_ask_offered_date_or_other"
                if more
                else "utter_ask_requested_date_suggestions",
                buttons=buttons,
            )
            return []
        with session_scope(get_settings()) as session:
            porting = porting_service.find_porting(
                session, tracker.get_slot("verified_msisdn")
            )
        first, last = allowed_window(
            subscribed_on=porting.subscribed_on, today=today_for_rules()
        )
        dispatcher.utter_message(
            response="utter_ask_requested_date",
            first=format_french_date(first),
            last=format_french_date(last),
        )
        return []
