"""Escalation actions: queue or callback offer, the agent's arrival and departure."""

from __future__ import annotations

import socket
from datetime import datetime, timedelta, timezone

import pytest
from rasa_sdk.events import (
    ConversationPaused,
    ConversationResumed,
    FollowupAction,
    SlotSet,
)
from sqlalchemy import select

from actions.handoff import (
    ActionAgentJoined,
    ActionHandoffEnded,
    ActionRequestHuman,
    reason_for,
)
from bot.db import session_scope
from bot.handoff import tickets
from bot.handoff.hours import french_moment
from bot.models import Ticket
from tests.actions.trackers import (
    MARIE,
    STAMP,
    bot,
    responses,
    run,
    tracker,
    user,
    verify,
)
from tests.bot.handoff.factories import chat_ticket, make_agent


def all_tickets() -> list[Ticket]:
    with session_scope() as session:
        return list(session.execute(select(Ticket).order_by(Ticket.id)).scalars())


CONVERSATION = [
    user("bonjour", "greet", STAMP),
    bot("Bonjour ! Que puis-je faire ?", "utter_greet", STAMP + 1),
    user("mon code 482913", "inform", STAMP + 2),
    user("je veux un conseiller", "request_human", STAMP + 3),
]


async def test_in_hours_a_ticket_is_queued_and_the_assistant_pauses(open_hours):
    messages, events = await run(ActionRequestHuman(), tracker(events=CONVERSATION))
    assert responses(messages) == ["utter_handoff_queued"]
    assert messages[0]["position"] == 1
    assert events == [
        SlotSet("handoff_reason", "customer_request"),
        ConversationPaused(),
    ]
    (ticket,) = all_tickets()
    assert (ticket.conversation_id, ticket.channel, ticket.reason, ticket.state) == (
        "conv-1",
        "socketio",
        "customer_request",
        "waiting",
    )
    assert ticket.summary["verified"] is False
    with session_scope() as session:
        lines = [(m.author, m.text) for m in tickets.messages(session, ticket)]
    assert lines == [
        ("customer", "bonjour"),
        ("assistant", "Bonjour ! Que puis-je faire ?"),
        ("customer", "mon code ••••••"),
        ("customer", "je veux un conseiller"),
    ]


async def test_asking_again_keeps_the_same_ticket_and_place(open_hours):
    with session_scope() as session:
        chat_ticket(session, "someone-else")
    await run(ActionRequestHuman(), tracker())
    messages, _ = await run(ActionRequestHuman(), tracker())
    assert messages[0]["position"] == 2
    assert [t.conversation_id for t in all_tickets()] == ["someone-else", "conv-1"]


async def test_the_expected_wait_follows_recent_claims(open_hours, fast_argon2):
    with session_scope() as session:
        agent = make_agent(session, "alice@example.fr")
        done = chat_ticket(session, "done")
        tickets.claim(session, done, agent)
        done.created_at = done.claimed_at - timedelta(minutes=6)
        chat_ticket(session, "ahead")
    messages, _ = await run(ActionRequestHuman(), tracker())
    assert responses(messages) == ["utter_handoff_queued_with_wait"]
    assert (messages[0]["position"], messages[0]["minutes"]) == (2, 12)


async def test_a_verified_number_is_kept_on_the_ticket(open_hours):
    verify()
    await run(ActionRequestHuman(), tracker(slots={"verified_msisdn": MARIE}))
    (ticket,) = all_tickets()
    assert ticket.verified_msisdn == MARIE
    assert ticket.summary["number"] == "06 xx xx xx 78"
    assert ticket.summary["order"]["id"] == "CMD-2026-004512"


async def test_a_number_verified_in_another_conversation_is_not_trusted(open_hours):
    verify("another-conversation")
    await run(ActionRequestHuman(), tracker(slots={"verified_msisdn": MARIE}))
    (ticket,) = all_tickets()
    assert ticket.verified_msisdn is None and ticket.summary["verified"] is False


async def test_out_of_hours_the_assistant_says_when_advisors_are_back(closed_hours):
    messages, events = await run(ActionRequestHuman(), tracker())
    back = closed_hours.next_opening(datetime.now(timezone.utc))
    assert messages == [
        {
            **messages[0],
            "response": "utter_advisors_closed",
            "hours": closed_hours.describe(),
            "back": french_moment(back),
        }
    ]
    assert events == [
        SlotSet("handoff_reason", "customer_request"),
        FollowupAction("action_offer_callback"),
    ]
    assert all_tickets() == []


async def test_a_database_failure_says_advisors_are_unreachable(environment):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment(
        SUPPORT_HOURS="always",
        DATABASE_URL=f"postgresql://nobody@127.0.0.1:{port}/nothing",
    )
    messages, events = await run(ActionRequestHuman(), tracker())
    assert responses(messages) == ["utter_handoff_unavailable"]
    assert events == []


@pytest.mark.parametrize(
    ("previous", "refusal", "reason"),
    [
        (None, None, "customer_request"),
        ("utter_offer_advisor", None, "after_fallback"),
        ("utter_offer_advisor_after_refusal", "deadline_passed", "deadline_passed"),
        ("utter_offer_advisor_after_refusal", "completed", "porting_completed"),
        ("utter_offer_advisor_after_refusal", "no_porting", "no_porting"),
        ("utter_offer_advisor_after_refusal", None, "customer_request"),
        ("utter_greet", "deadline_passed", "customer_request"),
    ],
)
def test_the_reason_comes_from_the_message_before_the_customer_s(
    previous, refusal, reason
):
    events = [user("bonjour", "greet")]
    if previous:
        events.append(bot("…", previous))
    events.append(user("oui", "affirm"))
    assert reason_for(tracker(events=events, slots={"last_refusal": refusal})) == reason


def test_an_older_advisor_offer_does_not_count():
    events = [
        bot("Voulez-vous un conseiller ?", "utter_offer_advisor"),
        user("non", "deny"),
        bot("D'accord.", "utter_ok"),
        user("un conseiller", "request_human"),
    ]
    assert reason_for(tracker(events=events)) == "customer_request"


async def test_after_the_fallback_offer_the_ticket_says_so(open_hours):
    events = [
        bot("Voulez-vous parler à un conseiller ?", "utter_offer_advisor"),
        user("oui", "affirm"),
    ]
    _, returned = await run(ActionRequestHuman(), tracker(events=events))
    assert returned[0] == SlotSet("handoff_reason", "after_fallback")
    assert all_tickets()[0].reason == "after_fallback"


async def test_the_agent_who_claims_is_named_and_the_assistant_stays_paused(
    migrated_url, fast_argon2
):
    with session_scope() as session:
        alice = make_agent(session, "alice@example.fr", name="Alice Martin")
        tickets.claim(session, chat_ticket(session), alice)
    messages, events = await run(ActionAgentJoined(), tracker())
    assert responses(messages) == ["utter_agent_joined"]
    assert messages[0]["agent"] == "Alice Martin"
    assert events == [ConversationPaused()]


@pytest.mark.parametrize("conversation", ["conv-1", "other"])
async def test_nobody_is_announced_while_the_ticket_waits_or_without_one(
    migrated_url, conversation
):
    with session_scope() as session:
        chat_ticket(session, conversation)
    assert await run(ActionAgentJoined(), tracker()) == ([], [])


@pytest.mark.parametrize(
    ("outcome", "response"),
    [
        (tickets.HANDED_BACK, "utter_handed_back"),
        ("Date modifiée par le conseiller", "utter_advisor_closed"),
    ],
)
async def test_the_end_of_a_handoff_resumes_the_assistant(
    migrated_url, fast_argon2, outcome, response
):
    with session_scope() as session:
        alice = make_agent(session, "alice@example.fr")
        ticket = chat_ticket(session)
        tickets.claim(session, ticket, alice)
        tickets.end(session, ticket, alice, outcome)
    messages, events = await run(ActionHandoffEnded(), tracker())
    assert responses(messages) == [response]
    assert events == [ConversationResumed(), SlotSet("handoff_reason", None)]


async def test_a_ticket_still_held_is_not_ended(migrated_url, fast_argon2):
    with session_scope() as session:
        alice = make_agent(session, "alice@example.fr")
        tickets.claim(session, chat_ticket(session), alice)
    assert await run(ActionHandoffEnded(), tracker()) == ([], [])
