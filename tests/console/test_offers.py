"""The background offer of a callback to customers nobody claimed in time."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.db import session_scope
from bot.handoff import tickets
from bot.models import utcnow
from console.app import create_app, offer_overdue_callbacks
from console.http import SETTINGS
from tests.bot.handoff.factories import chat_ticket, make_agent

OFFER = "action_offer_callback"


@pytest.fixture
def app(settings, gateway):
    """The console application, not served: the test runs its task by hand."""
    return create_app(settings, gateway=gateway, tick_seconds=3600)


def waiting_since(conversation: str, minutes: float) -> int:
    with session_scope() as session:
        created = utcnow() - timedelta(minutes=minutes)
        return chat_ticket(session, conversation, created_at=created).id


def offered_at(ticket_id: int):
    with session_scope() as session:
        return tickets.find(session, ticket_id).callback_offered_at


async def test_each_overdue_customer_is_offered_a_callback_once(app, gateway):
    late, later = waiting_since("late", 11), waiting_since("later", 30)
    waiting_since("recent", 9)
    assert await offer_overdue_callbacks(app) == 2
    assert sorted(gateway.ran) == [("late", OFFER), ("later", OFFER)]
    assert offered_at(late) is not None and offered_at(later) is not None
    assert await offer_overdue_callbacks(app) == 0
    assert len(gateway.ran) == 2


async def test_claimed_closed_and_callback_tickets_are_not_offered(
    app, gateway, fast_argon2
):
    ids = [waiting_since(name, 60) for name in ("claimed", "closed", "callback")]
    with session_scope() as session:
        alice = make_agent(session, "alice@example.fr")
        claimed, closed, callback = (tickets.find(session, i) for i in ids)
        tickets.claim(session, claimed, alice)
        closed.state = "closed"
        callback.kind = "callback"
    assert await offer_overdue_callbacks(app) == 0
    assert gateway.ran == []


async def test_an_offer_that_did_not_reach_the_customer_is_made_again(app, gateway):
    ticket_id = waiting_since("late", 15)
    gateway.failing = True
    assert await offer_overdue_callbacks(app) == 0
    assert offered_at(ticket_id) is None
    gateway.failing = False
    assert await offer_overdue_callbacks(app) == 1
    assert gateway.ran == [("late", OFFER)]
    assert offered_at(ticket_id) is not None


async def test_the_timeout_comes_from_the_settings(app, gateway, settings):
    app[SETTINGS] = replace(settings, claim_timeout_minutes=2.5)
    waiting_since("three-minutes", 3)
    waiting_since("two-minutes", 2)
    assert await offer_overdue_callbacks(app) == 1
    assert gateway.ran == [("three-minutes", OFFER)]
