"""A Chatwoot conversation handed to the team: held ticket, note, labels, open; and
the ticket closed once when Chatwoot gives the conversation back or resolves it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.channels.chatwoot_api import read_operation
from bot.handoff import chatwoot, tickets
from bot.handoff.hours import Slot
from bot.models import AuditEvent, Channel, OutboxMessage, Ticket
from bot.outbox import list_messages

CONVERSATION = "chatwoot:7:42"
PARIS = ZoneInfo("Europe/Paris")


def chatwoot_ticket(session, reason: str = "deadline_passed") -> Ticket:
    return tickets.create(
        session,
        conversation_id=CONVERSATION,
        channel="chatwoot",
        reason=reason,
        transcript=[],
        summary={"text": "Souhaite modifier la date de portabilité."},
        verified_msisdn=None,
    )


def operations(session) -> list[tuple[str, dict]]:
    rows = list_messages(session)
    assert {(row.channel, row.to) for row in rows} <= {(Channel.CHATWOOT, CONVERSATION)}
    return [read_operation(row.text) for row in rows]


def test_only_chatwoot_conversations_go_to_chatwoot(db_session):
    assert chatwoot.in_chatwoot(chatwoot_ticket(db_session))
    other = tickets.create(
        db_session,
        conversation_id="+33612345678",
        channel="twilio_signed",
        reason="customer_request",
        transcript=[],
        summary={},
        verified_msisdn=None,
    )
    assert not chatwoot.in_chatwoot(other)


def test_a_handoff_queues_the_note_the_label_and_the_opening(db_session):
    ticket = chatwoot_ticket(db_session)
    chatwoot.hand_over(db_session, ticket)
    note, labels, status = operations(db_session)
    assert note == (
        "messages",
        {
            "content": "Demande transmise par l'assistant. Motif : Délai de "
            "modification dépassé.\nSouhaite modifier la date de portabilité.",
            "message_type": "outgoing",
            "private": True,
            "content_type": "text",
        },
    )
    assert labels == ("labels", {"labels": ["delai_depasse"]})
    assert status == ("toggle_status", {"status": "open"})
    # Held by the helpdesk: out of the console's queue, no claim time.
    assert (ticket.state, ticket.agent_id, ticket.claimed_at) == ("claimed", None, None)
    assert [m.text for m in tickets.messages(db_session, ticket)] == [
        chatwoot.HELD_NOTE
    ]


def test_asking_again_queues_nothing_more(db_session):
    ticket = chatwoot_ticket(db_session)
    chatwoot.hand_over(db_session, ticket)
    chatwoot.hand_over(db_session, ticket)
    assert len(operations(db_session)) == 3
    assert len(tickets.messages(db_session, ticket)) == 1


def test_an_unknown_reason_gets_the_generic_label(db_session):
    chatwoot.hand_over(db_session, chatwoot_ticket(db_session, reason="other"))
    assert operations(db_session)[1] == ("labels", {"labels": ["conseiller"]})


def test_a_callback_is_a_note_with_number_and_slot_labelled_rappel(db_session):
    ticket = chatwoot_ticket(db_session, reason="customer_request")
    ticket.kind = "callback"
    ticket.callback_number = "0612345678"
    slot = Slot(
        datetime(2026, 12, 7, 9, tzinfo=PARIS), datetime(2026, 12, 7, 13, tzinfo=PARIS)
    )
    chatwoot.callback_booked(db_session, ticket, slot)
    (_, note), labels, status = operations(db_session)
    assert note["private"] is True
    assert note["content"].startswith("Rappel demandé au 06 12 34 56 78, ")
    assert "entre 9 h et 13 h (07/12/2026)" in note["content"]
    assert "Motif : Demande du client." in note["content"]
    assert labels == ("labels", {"labels": ["rappel", "demande_client"]})
    assert status == ("toggle_status", {"status": "open"})
    assert ticket.state == "claimed"


def test_release_closes_the_open_ticket_once(db_session):
    ticket = chatwoot_ticket(db_session)
    chatwoot.hand_over(db_session, ticket)
    assert chatwoot.release(db_session, CONVERSATION, tickets.HANDED_BACK)
    assert not chatwoot.release(db_session, CONVERSATION, tickets.HANDED_BACK)
    db_session.refresh(ticket)
    assert (ticket.state, ticket.outcome) == ("closed", tickets.HANDED_BACK)
    assert ticket.closed_at is not None
    actions = db_session.execute(
        select(AuditEvent.action, AuditEvent.actor).where(
            AuditEvent.subject == f"ticket:{ticket.id}"
        )
    ).all()
    assert ("ticket_handed_back", "chatwoot") in actions


def test_release_without_ticket_does_nothing(db_session):
    assert not chatwoot.release(db_session, CONVERSATION, chatwoot.RESOLVED)
    assert db_session.execute(select(OutboxMessage)).first() is None
