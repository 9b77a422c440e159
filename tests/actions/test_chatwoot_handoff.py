"""Escalation and callbacks of a Chatwoot conversation: the team in Chatwoot takes it
(private note, labels, status open), not the console's queue."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import ConversationPaused, FollowupAction, SlotSet
from sqlalchemy import select

from actions.callback import ActionCallbackSubmit, offered_slots
from actions.handoff import ActionRequestHuman
from bot.channels.chatwoot_api import read_operation
from bot.db import session_scope
from bot.handoff import chatwoot
from bot.models import Channel, OutboxMessage, Ticket
from tests.actions.trackers import STAMP, responses, run, tracker, user

CONVERSATION = "chatwoot:7:42"


def chatwoot_user(text: str, intent: str, stamp: float = STAMP) -> dict[str, Any]:
    return {**user(text, intent, stamp), "input_channel": "chatwoot"}


def queued() -> list[tuple[str, dict]]:
    with session_scope() as session:
        rows = session.execute(select(OutboxMessage).order_by(OutboxMessage.id))
        rows = list(rows.scalars())
    assert {(row.channel, row.to) for row in rows} == {(Channel.CHATWOOT, CONVERSATION)}
    return [read_operation(row.text) for row in rows]


def only_ticket() -> Ticket:
    with session_scope() as session:
        (ticket,) = session.execute(select(Ticket)).scalars()
        return ticket


async def test_in_hours_the_team_in_chatwoot_takes_the_conversation(open_hours):
    events = [chatwoot_user("je veux un conseiller", "request_human")]
    messages, returned = await run(
        ActionRequestHuman(), tracker(CONVERSATION, events=events)
    )
    assert [m["text"] for m in messages] == [chatwoot.QUEUED_TEXT]
    assert returned == [
        SlotSet("handoff_reason", "customer_request"),
        ConversationPaused(),
    ]
    ticket = only_ticket()
    assert (ticket.channel, ticket.state, ticket.kind) == (
        "chatwoot",
        "claimed",
        "chat",
    )
    (kind, note), labels, status = queued()
    assert (kind, note["private"]) == ("messages", True)
    assert "Motif : Demande du client." in note["content"]
    assert labels == ("labels", {"labels": ["demande_client"]})
    assert status == ("toggle_status", {"status": "open"})


async def test_outside_hours_the_callback_offer_comes_first(closed_hours):
    events = [chatwoot_user("je veux un conseiller", "request_human")]
    messages, returned = await run(
        ActionRequestHuman(), tracker(CONVERSATION, events=events)
    )
    assert responses(messages) == ["utter_advisors_closed"]
    assert FollowupAction("action_offer_callback") in returned
    with session_scope() as session:
        assert session.execute(select(OutboxMessage)).first() is None


async def test_a_booked_callback_is_a_chatwoot_conversation_for_the_team(closed_hours):
    slot = offered_slots()[0]
    slots = {
        "callback_number": "0745678901",
        "callback_slot": slot.key,
        "handoff_reason": "customer_request",
    }
    events = [chatwoot_user("oui rappelez-moi", "affirm")]
    messages, _ = await run(
        ActionCallbackSubmit(), tracker(CONVERSATION, events=events, slots=slots)
    )
    assert responses(messages) == ["utter_callback_booked"]
    ticket = only_ticket()
    assert (ticket.kind, ticket.state, ticket.callback_number) == (
        "callback",
        "claimed",
        "0745678901",
    )
    (_, note), labels, status = queued()
    assert note["private"] is True
    assert note["content"].startswith("Rappel demandé au 07 45 67 89 01, ")
    assert labels == ("labels", {"labels": ["rappel", "demande_client"]})
    assert status == ("toggle_status", {"status": "open"})
