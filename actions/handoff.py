"""Hand the conversation to an advisor: a ticket in the queue, or a callback offer.

While an agent holds the conversation, Rasa keeps it paused (`ConversationPaused`):
the assistant stays silent and the customer's messages reach the ticket. The
console runs `action_agent_joined` when an agent claims the ticket, and
`action_handoff_ended` when the agent hands back or closes.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import (
    ConversationPaused,
    ConversationResumed,
    EventType,
    FollowupAction,
    SlotSet,
)
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from bot import verification_lifetime
from bot.config import get_settings
from bot.db import ensure_schema, lock_for_write, session_scope
from bot.handoff import chatwoot, queue, summary, tickets
from bot.handoff.hours import SupportHours, french_moment
from bot.handoff.transcript import from_events

# Why the assistant stopped (slot `last_refusal`) -> the ticket's reason.
REFUSAL_REASONS = {
    "deadline_passed": "deadline_passed",
    "no_porting": "no_porting",
    "completed": "porting_completed",
    "cancelled": "porting_cancelled",
    "backend_error": "backend_error",
    "cancel_order": "cancel_order",
    "slot_change": "slot_change",
}


def support_hours() -> SupportHours:
    """The configured support hours."""
    settings = get_settings()
    return SupportHours.parse(settings.support_hours, settings.timezone)


def _previous_response(tracker: Tracker) -> str | None:
    """The response the assistant gave just before the customer's last message."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return None
            seen_user = True
        elif seen_user and event.get("event") == "bot":
            return (event.get("metadata") or {}).get("utter_action")
    return None


def reason_for(tracker: Tracker) -> str:
    """Why the customer is handed over: after a refusal, the fallback, or asked."""
    previous = _previous_response(tracker)
    if previous == "utter_offer_advisor":
        return "after_fallback"
    if previous == "utter_offer_advisor_after_refusal":
        return REFUSAL_REASONS.get(tracker.get_slot("last_refusal"), "customer_request")
    return "customer_request"


def conversation_facts(tracker: Tracker, session: Any) -> dict[str, Any]:
    """Transcript, summary and verified number of this conversation, for a ticket."""
    verified = tracker.get_slot("verified_msisdn")
    if verified and not verification_lifetime.is_verified(
        session, msisdn=verified, conversation_id=tracker.sender_id
    ):
        verified = None
    intents = [
        (event.get("parse_data") or {}).get("intent", {}).get("name", "")
        for event in tracker.events
        if event.get("event") == "user"
    ]
    return {
        "conversation_id": tracker.sender_id,
        "channel": tracker.get_latest_input_channel() or "unknown",
        "transcript": from_events(tracker.events),
        "summary": summary.build(
            session,
            intents=intents,
            task=tracker.get_slot("porting_task"),
            verified_msisdn=verified,
            refusal=tracker.get_slot("last_refusal"),
        ),
        "verified_msisdn": verified,
    }


def escalate(
    dispatcher: CollectingDispatcher, tracker: Tracker, reason: str
) -> list[EventType]:
    """Queue the conversation for an advisor and pause the assistant, or, outside
    the support hours, say when advisors are back and offer a callback.

    A Chatwoot conversation goes to the team in Chatwoot rather than to the queue.
    """
    hours = support_hours()
    now = datetime.now(timezone.utc)
    if not hours.is_open(now):
        back = hours.next_opening(now)
        dispatcher.utter_message(
            response="utter_advisors_closed",
            hours=hours.describe(),
            back=french_moment(back) if back else "bientôt",
        )
        return [
            SlotSet("handoff_reason", reason),
            FollowupAction("action_offer_callback"),
        ]
    settings = get_settings()
    try:
        ensure_schema(settings)
        with session_scope(settings) as session:
            lock_for_write(session)  # reads, then writes: no lock upgrade on SQLite
            facts = conversation_facts(tracker, session)
            ticket, _ = tickets.open_chat(session, reason=reason, **facts)
            in_chatwoot = chatwoot.in_chatwoot(ticket)
            if in_chatwoot:
                chatwoot.hand_over(session, ticket)
            else:
                place = queue.position(session, ticket)
                minutes = queue.expected_wait(session, place)
    except SQLAlchemyError:
        dispatcher.utter_message(response="utter_handoff_unavailable")
        return []
    if in_chatwoot:
        dispatcher.utter_message(text=chatwoot.QUEUED_TEXT)
    elif minutes is None:
        dispatcher.utter_message(response="utter_handoff_queued", position=place)
    else:
        dispatcher.utter_message(
            response="utter_handoff_queued_with_wait", position=place, minutes=minutes
        )
    return [SlotSet("handoff_reason", reason), ConversationPaused()]


class ActionRequestHuman(Action):
    """The customer wants a person: queue them, or offer a callback."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_request_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Escalate with the reason the conversation shows."""
        return escalate(dispatcher, tracker, reason_for(tracker))


def _latest_ticket(conversation_id: str) -> Any:
    with session_scope(get_settings()) as session:
        ticket = tickets.latest_for(session, conversation_id)
        agent = tickets.agent_of(session, ticket) if ticket else None
    return ticket, agent


class ActionAgentJoined(Action):
    """Run by the console when an agent claims the ticket: say who answers."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_agent_joined"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Name the agent; the assistant stays silent from now on."""
        ticket, agent = _latest_ticket(tracker.sender_id)
        if ticket is None or ticket.state != "claimed" or agent is None:
            return []
        dispatcher.utter_message(response="utter_agent_joined", agent=agent.name)
        return [ConversationPaused()]


class ActionHandoffEnded(Action):
    """Run by the console when the agent hands back or closes: the assistant is back."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_handoff_ended"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Resume the conversation and say so."""
        ticket, _ = _latest_ticket(tracker.sender_id)
        if ticket is not None and ticket.state != "closed":
            return []  # still held: nothing to resume
        handed_back = ticket is not None and ticket.outcome == tickets.HANDED_BACK
        dispatcher.utter_message(
            response="utter_handed_back" if handed_back else "utter_advisor_closed"
        )
        return [ConversationResumed(), SlotSet("handoff_reason", None)]


def waiting_chat(conversation_id: str) -> bool:
    """Tell whether the conversation still waits in the queue for an agent."""
    with session_scope(get_settings()) as session:
        ticket = tickets.open_ticket_for(session, conversation_id)
        return (
            ticket is not None and ticket.state == "waiting" and ticket.kind == "chat"
        )


class ActionOfferCallback(Action):
    """Offer a callback: outside the support hours, or when nobody claimed in time."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_offer_callback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Ask whether an advisor should call back (the queue resumes the talk)."""
        if waiting_chat(tracker.sender_id):
            dispatcher.utter_message(response="utter_offer_callback_unclaimed")
            return [ConversationResumed()]
        dispatcher.utter_message(response="utter_offer_callback")
        return []


class ActionDeclineCallback(Action):
    """No callback: back to the queue, or the hours to come back."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_decline_callback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Keep waiting in the queue, or say when advisors answer."""
        if waiting_chat(tracker.sender_id):
            dispatcher.utter_message(response="utter_keep_waiting")
            return [ConversationPaused()]
        dispatcher.utter_message(
            response="utter_callback_declined", hours=support_hours().describe()
        )
        return [SlotSet("handoff_reason", None)]
