"""Callbacks: booking a half-day, taking a waiting ticket's place, offered once."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.handoff import callbacks, tickets
from bot.handoff.hours import Slot
from bot.handoff.transcript import Line
from bot.models import AuditEvent, Ticket
from tests.bot.handoff.factories import chat_ticket, make_agent

PARIS = ZoneInfo("Europe/Paris")
MORNING = Slot(
    datetime(2026, 12, 7, 9, 0, tzinfo=PARIS),
    datetime(2026, 12, 7, 13, 0, tzinfo=PARIS),
)
T0 = datetime(2026, 12, 5, 20, 0, tzinfo=timezone.utc)


def book(session, conversation: str = "conv-1", **changes) -> Ticket:
    values = {
        "conversation_id": conversation,
        "channel": "rest",
        "reason": "customer_request",
        "number": "0612345678",
        "slot": MORNING,
        "transcript": [Line("customer", "rappelez-moi", T0)],
        "summary": {"text": "Numéro non vérifié.", "callback": True},
        "verified_msisdn": None,
        **changes,
    }
    return callbacks.book(session, **values)


def test_a_callback_is_a_waiting_ticket_with_the_number_and_the_half_day(db_session):
    ticket = book(db_session)
    db_session.commit()
    db_session.expire_all()
    stored = db_session.get(Ticket, ticket.id)
    assert (stored.kind, stored.state, stored.callback_number) == (
        "callback",
        "waiting",
        "0612345678",
    )
    assert stored.callback_from == datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc)
    assert stored.callback_until == datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc)
    assert [m.text for m in tickets.messages(db_session, stored)] == ["rappelez-moi"]
    (event,) = db_session.execute(
        select(AuditEvent).where(AuditEvent.action == "callback_booked")
    ).scalars()
    assert (
        event.actor == "conversation:conv-1" and event.subject == f"ticket:{ticket.id}"
    )
    assert event.details == {
        "from": "2026-12-07T09:00:00+01:00",
        "until": "2026-12-07T13:00:00+01:00",
    }


def test_a_waiting_chat_ticket_becomes_the_callback_keeping_its_story(db_session):
    waiting = chat_ticket(db_session, lines=[Line("customer", "un conseiller", T0)])
    ticket = book(db_session, transcript=[Line("customer", "ignored", T0)])
    assert ticket.id == waiting.id and ticket.kind == "callback"
    assert [m.text for m in tickets.messages(db_session, ticket)] == ["un conseiller"]
    assert ticket.summary == {
        "wanted": ["suivre sa commande"],
        "text": "Numéro non vérifié.",
        "callback": True,
    }
    assert db_session.execute(select(Ticket)).scalars().all() == [ticket]


def test_a_claimed_chat_ticket_stays_and_the_callback_is_a_new_ticket(
    db_session, fast_argon2
):
    alice = make_agent(db_session, "alice@example.fr")
    held = chat_ticket(db_session)
    tickets.claim(db_session, held, alice)
    ticket = book(db_session)
    assert ticket.id != held.id
    assert (held.kind, held.state) == ("chat", "claimed")
    assert (ticket.kind, ticket.state) == ("callback", "waiting")


def test_a_callback_is_offered_once_until_the_offer_fails(db_session):
    ticket = chat_ticket(db_session)
    assert callbacks.mark_offered(db_session, ticket)
    first = ticket.callback_offered_at
    assert first is not None
    assert not callbacks.mark_offered(db_session, ticket)
    assert ticket.callback_offered_at == first
    callbacks.unmark_offered(db_session, "conv-1")
    assert ticket.callback_offered_at is None
    assert callbacks.mark_offered(db_session, ticket)


@pytest.mark.parametrize("conversation", ["conv-1", "nobody"])
def test_unmarking_without_an_open_ticket_changes_nothing(db_session, conversation):
    ticket = chat_ticket(db_session)
    callbacks.mark_offered(db_session, ticket)
    ticket.state = "closed"
    db_session.flush()
    callbacks.unmark_offered(db_session, conversation)
    assert ticket.callback_offered_at is not None
