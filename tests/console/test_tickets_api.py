"""The pinned tickets API: list, read, claim, reply, note."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from bot.db import session_scope
from bot.handoff import tickets
from bot.models import AuditEvent
from tests.console.conftest import ALICE, BOB, SUE, stored

PINNED = {
    "id",
    "conversation_id",
    "channel",
    "reason",
    "state",
    "created_at",
    "summary",
}
JOINED = "action_agent_joined"


async def test_the_queue_lists_waiting_tickets_with_the_pinned_fields(
    browser, ticket_id
):
    alice = await browser(ALICE)
    answer = await alice.get("/api/tickets?state=waiting")
    assert answer.status == 200
    (item,) = await answer.json()
    assert PINNED <= set(item)
    assert {key: item[key] for key in PINNED - {"created_at"}} == {
        "id": ticket_id,
        "conversation_id": "conv-1",
        "channel": "rest",
        "reason": "customer_request",
        "state": "waiting",
        "summary": {"wanted": ["suivre sa commande"]},
    }
    assert datetime.fromisoformat(item["created_at"]) == stored(ticket_id).created_at
    assert await (await alice.get("/api/tickets")).json() == [item]  # the default
    assert await (await alice.get("/api/tickets?state=claimed")).json() == []


async def test_an_unknown_state_is_a_bad_request(browser):
    alice = await browser(ALICE)
    assert (await alice.get("/api/tickets?state=open")).status == 400


async def test_a_ticket_reads_with_its_transcript_items_exactly_pinned(
    browser, ticket_id, asked_at
):
    alice = await browser(ALICE)
    await alice.post(f"/api/tickets/{ticket_id}/claim")
    await alice.post(f"/api/tickets/{ticket_id}/messages", {"text": "Bonjour !"})
    await alice.post(f"/api/tickets/{ticket_id}/notes", {"text": "client pressé"})
    detail = await (await alice.get(f"/api/tickets/{ticket_id}")).json()
    assert PINNED | {"transcript"} <= set(detail) and detail["state"] == "claimed"
    assert all(set(item) == {"from", "text", "at"} for item in detail["transcript"])
    assert [(i["from"], i["text"]) for i in detail["transcript"]] == [
        ("customer", "je veux un conseiller"),
        ("assistant", "Vous êtes en position 1."),
        ("agent", "Bonjour !"),
    ]
    assert detail["transcript"][0]["at"] == asked_at.isoformat()
    assert [(n["text"], n["agent"]) for n in detail["notes"]] == [
        ("client pressé", "Alice")
    ]


async def test_a_claim_wins_once_and_the_assistant_announces_the_agent(
    browser, gateway, ticket_id
):
    alice, bob = await browser(ALICE), await browser(BOB)
    answer = await alice.post(f"/api/tickets/{ticket_id}/claim")
    assert answer.status == 200
    body = await answer.json()
    assert (body["state"], body["agent"]["email"], body["customer_notified"]) == (
        "claimed",
        ALICE,
        True,
    )
    assert (await alice.post(f"/api/tickets/{ticket_id}/claim")).status == 200
    assert gateway.ran == [("conv-1", JOINED)] * 2
    taken = await bob.post(f"/api/tickets/{ticket_id}/claim")
    assert taken.status == 409
    assert await taken.json() == {"error": "Un autre conseiller a déjà pris ce ticket."}
    assert (await bob.get(f"/api/tickets/{ticket_id}")).status == 403  # not his
    assert stored(ticket_id).agent_id == body["agent"]["id"]


async def test_a_supervisor_reads_a_claimed_ticket_but_cannot_claim_it(
    browser, ticket_id
):
    sue, bob = await browser(SUE), await browser(BOB)
    assert (await bob.post(f"/api/tickets/{ticket_id}/claim")).status == 200
    assert (await sue.get(f"/api/tickets/{ticket_id}")).status == 200
    assert (await sue.post(f"/api/tickets/{ticket_id}/claim")).status == 409


async def test_a_claim_stands_when_the_customer_cannot_be_told(
    browser, gateway, ticket_id
):
    gateway.failing = True
    alice = await browser(ALICE)
    body = await (await alice.post(f"/api/tickets/{ticket_id}/claim")).json()
    assert (body["state"], body["customer_notified"]) == ("claimed", False)


@pytest.mark.parametrize("path", ["/api/tickets/999", "/api/tickets/abc"])
async def test_an_unknown_ticket_answers_404(browser, path):
    alice = await browser(ALICE)
    assert (await alice.get(path)).status == 404


async def test_a_reply_reaches_the_customer_under_the_agent_s_name(
    browser, gateway, ticket_id
):
    alice = await browser(ALICE)
    await alice.post(f"/api/tickets/{ticket_id}/claim")
    answer = await alice.post(
        f"/api/tickets/{ticket_id}/messages", {"text": "  Je regarde.  "}
    )
    assert answer.status == 200
    body = await answer.json()
    assert (body["from"], body["text"]) == ("agent", "Je regarde.")
    metadata = {"handoff": {"ticket": ticket_id, "agent": "Alice"}}
    assert gateway.said == [("conv-1", "Alice : Je regarde.", metadata)]
    with session_scope() as session:
        ticket = tickets.find(session, ticket_id)
        last = tickets.messages(session, ticket)[-1]
        assert (last.author, last.text, last.delivered) == (
            "agent",
            "Je regarde.",
            True,
        )
        actions = session.execute(select(AuditEvent.action)).scalars().all()
        assert "agent_message_sent" in actions


async def test_an_undelivered_reply_answers_502_and_is_not_stored(
    browser, gateway, ticket_id
):
    alice = await browser(ALICE)
    await alice.post(f"/api/tickets/{ticket_id}/claim")
    gateway.failing = True
    answer = await alice.post(f"/api/tickets/{ticket_id}/messages", {"text": "Allô"})
    assert answer.status == 502
    assert "n'a pas pu être remis" in (await answer.json())["error"]
    detail = await (await alice.get(f"/api/tickets/{ticket_id}")).json()
    assert [item["from"] for item in detail["transcript"]] == ["customer", "assistant"]


@pytest.mark.parametrize(
    ("claim", "body", "status"),
    [
        (False, {"text": "Bonjour"}, 409),  # not held
        (True, {"text": "   "}, 400),
        (True, {"text": "x" * 2001}, 400),
        (True, {}, 400),
    ],
)
async def test_a_reply_needs_the_ticket_and_some_text(
    browser, gateway, ticket_id, claim, body, status
):
    alice = await browser(ALICE)
    if claim:
        await alice.post(f"/api/tickets/{ticket_id}/claim")
    answer = await alice.post(f"/api/tickets/{ticket_id}/messages", body)
    assert answer.status == status
    assert gateway.said == []


async def test_a_note_stays_internal(browser, gateway, ticket_id):
    alice = await browser(ALICE)
    answer = await alice.post(f"/api/tickets/{ticket_id}/notes", {"text": "rappeler"})
    assert answer.status == 200 and await answer.json() == {"ok": True}
    assert gateway.said == [] and gateway.ran == []
    detail = await (await alice.get(f"/api/tickets/{ticket_id}")).json()
    assert "rappeler" not in [item["text"] for item in detail["transcript"]]
    assert [note["text"] for note in detail["notes"]] == ["rappeler"]
