"""Ending a handoff (hand back, close), callbacks, and a supervisor's reassignment."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.dates import format_french_date
from bot.db import session_scope
from bot.handoff import callbacks, tickets
from bot.handoff.hours import Slot
from bot.models import utcnow
from tests.console.conftest import ALICE, BOB, CARL, SUE, stored

ENDED = "action_handoff_ended"


@pytest.mark.parametrize(
    ("path", "body", "outcome"),
    [
        ("handback", None, tickets.HANDED_BACK),
        ("close", {"outcome": "Date modifiée"}, "Date modifiée"),
    ],
)
async def test_handing_back_or_closing_gives_the_conversation_to_the_assistant(
    browser, gateway, ticket_id, path, body, outcome
):
    alice = await browser(ALICE)
    await alice.post(f"/api/tickets/{ticket_id}/claim")
    answer = await alice.post(f"/api/tickets/{ticket_id}/{path}", body)
    assert answer.status == 200
    assert ((await answer.json())["state"], stored(ticket_id).outcome) == (
        "closed",
        outcome,
    )
    assert gateway.ran[-1] == ("conv-1", ENDED)


@pytest.mark.parametrize("body", [{}, {"outcome": "  "}, {"outcome": "x" * 201}])
async def test_closing_needs_an_outcome(browser, ticket_id, body):
    alice = await browser(ALICE)
    await alice.post(f"/api/tickets/{ticket_id}/claim")
    assert (await alice.post(f"/api/tickets/{ticket_id}/close", body)).status == 400
    assert stored(ticket_id).state == "claimed"


async def test_ending_a_ticket_one_does_not_hold_answers_409(browser, ticket_id):
    alice = await browser(ALICE)
    answer = await alice.post(f"/api/tickets/{ticket_id}/handback")
    assert answer.status == 409 and stored(ticket_id).state == "waiting"


@pytest.mark.parametrize("path", ["handback", "close"])
async def test_when_the_assistant_cannot_be_reached_the_ticket_stays_open(
    browser, gateway, ticket_id, path
):
    alice = await browser(ALICE)
    await alice.post(f"/api/tickets/{ticket_id}/claim")
    gateway.failing = True
    answer = await alice.post(f"/api/tickets/{ticket_id}/{path}", {"outcome": "Fini"})
    assert answer.status == 502
    ticket = stored(ticket_id)
    assert (ticket.state, ticket.outcome, ticket.closed_at) == ("claimed", None, None)


async def test_a_callback_is_claimed_and_closed_without_the_assistant(
    browser, gateway, migrated_url
):
    day = utcnow().date() + timedelta(days=10)  # neither today nor tomorrow
    paris = ZoneInfo("Europe/Paris")
    slot = Slot(
        datetime.combine(day, time(9), paris), datetime.combine(day, time(13), paris)
    )
    with session_scope() as session:
        ticket_id = callbacks.book(
            session,
            conversation_id="conv-9",
            channel="twilio_signed",
            reason="customer_request",
            number="0612345678",
            slot=slot,
            transcript=[],
            summary={},
            verified_msisdn=None,
        ).id
    alice = await browser(ALICE)
    (item,) = await (await alice.get("/api/tickets")).json()
    assert item["callback"]["number"] == "06 12 34 56 78"
    day_words = format_french_date(day).rsplit(" ", 1)[0]  # "mardi 8 décembre"
    assert item["callback"]["label"] == f"{day_words}, entre 9 h et 13 h"  # Paris
    assert (await alice.post(f"/api/tickets/{ticket_id}/claim")).status == 200
    reply = await alice.post(f"/api/tickets/{ticket_id}/messages", {"text": "Allô"})
    assert reply.status == 409
    closed = await alice.post(f"/api/tickets/{ticket_id}/close", {"outcome": "Rappelé"})
    assert closed.status == 200
    assert gateway.ran == [] and gateway.said == []


async def test_a_supervisor_reassigns_and_lists_the_agents(
    browser, accounts, ticket_id
):
    alice, sue = await browser(ALICE), await browser(SUE)
    await alice.post(f"/api/tickets/{ticket_id}/claim")
    answer = await sue.post(f"/api/tickets/{ticket_id}/assign", {"agent": BOB})
    assert answer.status == 200
    assert (await answer.json())["agent"]["id"] == accounts[BOB]
    assert (await alice.get(f"/api/tickets/{ticket_id}")).status == 403
    unknown = await sue.post(f"/api/tickets/{ticket_id}/assign", {"agent": "x@y.fr"})
    assert unknown.status == 400
    listed = await (await sue.get("/api/agents")).json()
    assert [agent["email"] for agent in listed] == sorted(accounts)
    assert set(listed[0]) == {"id", "email", "name", "role", "active"}


async def test_agents_can_neither_reassign_nor_list_the_agents(browser, ticket_id):
    alice = await browser(ALICE)
    answer = await alice.post(f"/api/tickets/{ticket_id}/assign", {"agent": BOB})
    assert answer.status == 403 and stored(ticket_id).state == "waiting"
    assert (await alice.get("/api/agents")).status == 403


async def test_a_supervisor_cannot_give_a_ticket_to_a_disabled_agent(
    browser, ticket_id
):
    sue = await browser(SUE)
    answer = await sue.post(f"/api/tickets/{ticket_id}/assign", {"agent": CARL})
    assert answer.status == 409
    assert await answer.json() == {"error": "Ce conseiller est désactivé."}
    assert stored(ticket_id).agent_id is None
