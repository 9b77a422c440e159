"""Tickets: opening, claiming, ending, reopening, reassigning, who sees what."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.handoff import tickets
from bot.handoff.transcript import Line
from bot.models import AuditEvent, Ticket
from tests.bot.handoff.factories import chat_ticket, make_agent

pytestmark = pytest.mark.usefixtures("fast_argon2")
T0 = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)


def audit_actions(session, ticket: Ticket) -> list[tuple[str, str]]:
    rows = session.execute(
        select(AuditEvent.actor, AuditEvent.action)
        .where(AuditEvent.subject == f"ticket:{ticket.id}")
        .order_by(AuditEvent.id)
    )
    return [tuple(row) for row in rows]


def open_chat(session, conversation: str = "conv-1", lines=()):
    return tickets.open_chat(
        session,
        conversation_id=conversation,
        channel="socketio",
        reason="after_fallback",
        transcript=lines,
        summary={"text": "Numéro non vérifié."},
        verified_msisdn=None,
    )


def test_a_new_chat_ticket_waits_with_its_transcript_and_an_audit_event(db_session):
    lines = [
        Line("customer", "je veux un conseiller", T0),
        Line("assistant", "Je vous mets en relation.", T0 + timedelta(seconds=1)),
    ]
    ticket, created = open_chat(db_session, lines=lines)
    assert created
    assert (ticket.state, ticket.kind, ticket.channel) == (
        "waiting",
        "chat",
        "socketio",
    )
    assert [(m.author, m.text, m.at) for m in tickets.messages(db_session, ticket)] == [
        (line.author, line.text, line.at) for line in lines
    ]
    assert audit_actions(db_session, ticket) == [
        ("conversation:conv-1", "handoff_requested")
    ]


def test_the_open_ticket_of_a_conversation_is_reused_not_duplicated(db_session):
    first, _ = open_chat(db_session)
    again, created = open_chat(db_session)
    other, other_created = open_chat(db_session, "conv-2")
    assert again.id == first.id and not created
    assert other.id != first.id and other_created
    assert tickets.open_ticket_for(db_session, "conv-1").id == first.id


def test_a_closed_ticket_is_not_reused_and_stays_the_latest_until_replaced(db_session):
    alice = make_agent(db_session, "alice@example.fr")
    first, _ = open_chat(db_session)
    tickets.claim(db_session, first, alice)
    tickets.end(db_session, first, alice, "Réglé")
    assert tickets.open_ticket_for(db_session, "conv-1") is None
    assert tickets.latest_for(db_session, "conv-1").id == first.id
    second, created = open_chat(db_session)
    assert created and second.id != first.id
    assert tickets.latest_for(db_session, "conv-1").id == second.id


def test_a_conversation_has_an_open_ticket_while_waiting_or_claimed_only(db_session):
    alice = make_agent(db_session, "alice@example.fr")
    assert not tickets.has_open_ticket(db_session, "conv-1")
    ticket, _ = open_chat(db_session)
    assert tickets.has_open_ticket(db_session, "conv-1")
    assert not tickets.has_open_ticket(db_session, "conv-2")
    tickets.claim(db_session, ticket, alice)
    assert tickets.has_open_ticket(db_session, "conv-1")
    tickets.end(db_session, ticket, alice, "Réglé")
    assert not tickets.has_open_ticket(db_session, "conv-1")


def test_the_first_agent_to_claim_holds_the_ticket_and_another_gets_taken(db_session):
    alice = make_agent(db_session, "alice@example.fr")
    bob = make_agent(db_session, "bob@example.fr")
    ticket = chat_ticket(db_session)
    tickets.claim(db_session, ticket, alice)
    with pytest.raises(tickets.TicketTaken, match="Un autre conseiller"):
        tickets.claim(db_session, ticket, bob)
    assert (ticket.state, ticket.agent_id) == ("claimed", alice.id)
    assert tickets.agent_of(db_session, ticket).email == "alice@example.fr"
    assert ticket.claimed_at is not None


def test_claiming_twice_is_harmless_and_audited_once(db_session):
    alice = make_agent(db_session, "alice@example.fr")
    ticket = chat_ticket(db_session)
    tickets.claim(db_session, ticket, alice)
    claimed_at = ticket.claimed_at
    assert tickets.claim(db_session, ticket, alice).claimed_at == claimed_at
    claims = [a for a in audit_actions(db_session, ticket) if a[1] == "ticket_claimed"]
    assert claims == [("agent:alice@example.fr", "ticket_claimed")]


def test_a_closed_ticket_cannot_be_claimed_and_is_not_reported_as_taken(db_session):
    alice = make_agent(db_session, "alice@example.fr")
    bob = make_agent(db_session, "bob@example.fr")
    ticket = chat_ticket(db_session)
    tickets.claim(db_session, ticket, alice)
    tickets.end(db_session, ticket, alice, "Réglé")
    with pytest.raises(tickets.TicketError, match="déjà clos") as refused:
        tickets.claim(db_session, ticket, bob)
    assert not isinstance(refused.value, tickets.TicketTaken)


def test_only_the_agent_holding_a_ticket_can_end_it(db_session):
    alice = make_agent(db_session, "alice@example.fr")
    bob = make_agent(db_session, "bob@example.fr")
    ticket = chat_ticket(db_session)
    with pytest.raises(tickets.TicketError, match="Prenez d'abord"):
        tickets.end(db_session, ticket, alice, "Réglé")  # still waiting
    tickets.claim(db_session, ticket, alice)
    with pytest.raises(tickets.TicketError, match="Prenez d'abord"):
        tickets.end(db_session, ticket, bob, "Réglé")
    assert ticket.state == "claimed"


@pytest.mark.parametrize("outcome", ["", "   ", "\n\t"])
def test_closing_needs_an_outcome(db_session, outcome):
    alice = make_agent(db_session, "alice@example.fr")
    ticket = chat_ticket(db_session)
    tickets.claim(db_session, ticket, alice)
    with pytest.raises(tickets.TicketError, match="Indiquez l'issue"):
        tickets.end(db_session, ticket, alice, outcome)
    assert ticket.state == "claimed" and ticket.outcome is None


@pytest.mark.parametrize(
    ("outcome", "stored", "action"),
    [
        (tickets.HANDED_BACK, tickets.HANDED_BACK, "ticket_handed_back"),
        ("  Date  modifiée\n au 12/12 ", "Date modifiée au 12/12", "ticket_closed"),
        ("x" * 250, "x" * 200, "ticket_closed"),
    ],
)
def test_ending_stores_the_outcome_and_audits_a_handback_or_a_close(
    db_session, outcome, stored, action
):
    alice = make_agent(db_session, "alice@example.fr")
    ticket = chat_ticket(db_session)
    tickets.claim(db_session, ticket, alice)
    tickets.end(db_session, ticket, alice, outcome)
    assert (ticket.state, ticket.outcome) == ("closed", stored)
    assert ticket.closed_at is not None
    assert audit_actions(db_session, ticket)[-1] == ("agent:alice@example.fr", action)


def test_reopening_gives_a_closed_ticket_back_to_its_holder(db_session):
    alice = make_agent(db_session, "alice@example.fr")
    ticket = chat_ticket(db_session)
    tickets.claim(db_session, ticket, alice)
    tickets.end(db_session, ticket, alice, tickets.HANDED_BACK)
    tickets.reopen(db_session, ticket)
    assert (ticket.state, ticket.agent_id) == ("claimed", alice.id)
    assert ticket.outcome is None and ticket.closed_at is None
    assert tickets.open_ticket_for(db_session, "conv-1").id == ticket.id


def test_a_supervisor_reassigns_an_open_ticket_to_an_active_agent(db_session):
    alice = make_agent(db_session, "alice@example.fr")
    bob = make_agent(db_session, "bob@example.fr")
    sue = make_agent(db_session, "sue@example.fr", role="supervisor")
    waiting, held = chat_ticket(db_session, "c1"), chat_ticket(db_session, "c2")
    tickets.claim(db_session, held, alice)
    claimed_at = held.claimed_at
    tickets.reassign(db_session, held, sue, bob)
    tickets.reassign(db_session, waiting, sue, bob)
    assert (held.state, held.agent_id, held.claimed_at) == (
        "claimed",
        bob.id,
        claimed_at,
    )
    assert (waiting.state, waiting.agent_id) == ("claimed", bob.id)
    assert waiting.claimed_at is not None
    assert audit_actions(db_session, held)[-1] == (
        "agent:sue@example.fr",
        "ticket_reassigned",
    )


@pytest.mark.parametrize(
    ("who", "target", "closed", "problem"),
    [
        ("alice", "bob", False, "Seul un superviseur"),
        ("sue", "carl", False, "désactivé"),
        ("sue", "bob", True, "déjà clos"),
    ],
)
def test_reassigning_is_refused_to_agents_to_disabled_accounts_and_when_closed(
    db_session, who, target, closed, problem
):
    people = {
        "alice": make_agent(db_session, "alice@example.fr"),
        "bob": make_agent(db_session, "bob@example.fr"),
        "carl": make_agent(db_session, "carl@example.fr", active=False),
        "sue": make_agent(db_session, "sue@example.fr", role="supervisor"),
    }
    ticket = chat_ticket(db_session)
    tickets.claim(db_session, ticket, people["alice"])
    if closed:
        tickets.end(db_session, ticket, people["alice"], "Réglé")
    with pytest.raises(tickets.TicketError, match=problem):
        tickets.reassign(db_session, ticket, people[who], people[target])
    assert ticket.agent_id == people["alice"].id


def test_agents_list_the_whole_queue_but_only_their_own_claims(db_session):
    alice = make_agent(db_session, "alice@example.fr")
    bob = make_agent(db_session, "bob@example.fr")
    sue = make_agent(db_session, "sue@example.fr", role="supervisor")
    old = chat_ticket(db_session, "old", created_at=T0 - timedelta(minutes=9))
    new = chat_ticket(db_session, "new", created_at=T0)
    mine, theirs = chat_ticket(db_session, "mine"), chat_ticket(db_session, "theirs")
    tickets.claim(db_session, mine, alice)
    tickets.claim(db_session, theirs, bob)
    tickets.end(db_session, theirs, bob, "Réglé")

    def ids(agent, state):
        return [t.conversation_id for t in tickets.listing(db_session, agent, state)]

    assert ids(alice, "waiting") == ids(bob, "waiting") == ["old", "new"]
    assert ids(alice, "claimed") == ["mine"] and ids(bob, "claimed") == []
    assert ids(alice, "closed") == [] and ids(bob, "closed") == ["theirs"]
    assert ids(sue, "claimed") == ["mine"] and ids(sue, "closed") == ["theirs"]
    assert [tickets.visible_to(bob, t) for t in (old, new, mine, theirs)] == [
        True,
        True,
        False,
        True,
    ]
    assert all(tickets.visible_to(sue, t) for t in (old, new, mine, theirs))
    assert not tickets.visible_to(alice, theirs)


def test_messages_come_oldest_first_and_a_known_message_is_recognised(db_session):
    ticket = chat_ticket(db_session)
    later = tickets.add_message(db_session, ticket, "customer", "b", at=T0)
    tickets.add_message(db_session, ticket, "note", "a", at=T0 - timedelta(seconds=5))
    assert [m.text for m in tickets.messages(db_session, ticket)] == ["a", "b"]
    assert later.delivered is None
    assert tickets.has_message(db_session, ticket, "customer", "b", T0)
    assert not tickets.has_message(db_session, ticket, "assistant", "b", T0)
    assert not tickets.has_message(
        db_session, ticket, "customer", "b", T0 + timedelta(microseconds=1)
    )
