"""Handing a Chatwoot conversation to the support team, in Chatwoot's terms.

A team that works in Chatwoot does not use the console: the ticket is kept for the
record but held by the helpdesk ("claimed" by no console agent, so it never waits in
the console's queue nor gets its callback offer), and three operations go through
the outbox, in this order: the agent summary as a private note, labels from the
reason, and the status `open` (Chatwoot's bot handoff: agents see the conversation,
the assistant stops answering it). A callback is the same with the number and
half-day in the note and the label `rappel`. When an agent sets the conversation
back to `pending`, or resolves it, the ticket closes (`release`).
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot import audit
from bot.channels import chatwoot_api
from bot.channels.chatwoot_api import ConversationRef
from bot.channels.chatwoot_outbox import queue
from bot.config import get_settings
from bot.db import ensure_schema, lock_for_write, session_scope
from bot.handoff import tickets
from bot.handoff.hours import Slot, french_slot
from bot.models import Ticket, utcnow
from bot.porting_service import spaced_number

CHANNEL = "chatwoot"
# What the customer reads when the team takes over (no place in a queue to give).
QUEUED_TEXT = (
    "C'est noté : un conseiller va prendre le relais ici même. Vous pouvez déjà "
    "écrire votre question : le conseiller la lira en prenant la conversation."
)
HELD_NOTE = "Confiée à l'équipe dans Chatwoot."
RESOLVED = "Résolue dans Chatwoot"
CALLBACK_LABEL = "rappel"
# The ticket's reason -> a Chatwoot label (create them under Settings > Labels).
REASON_LABELS = {
    "customer_request": "demande_client",
    "after_fallback": "incomprehension",
    "deadline_passed": "delai_depasse",
    "no_porting": "sans_portabilite",
    "porting_completed": "portabilite_effectuee",
    "porting_cancelled": "portabilite_annulee",
    "backend_error": "incident_technique",
    "cancel_order": "annulation_commande",
    "slot_change": "changement_creneau",
}
OTHER_LABEL = "conseiller"


def in_chatwoot(ticket: Ticket) -> bool:
    """Tell whether the ticket's conversation is a Chatwoot one."""
    return ticket.channel == CHANNEL and bool(
        ConversationRef.from_sender_id(ticket.conversation_id)
    )


def reason_label(reason: str) -> str:
    """The Chatwoot label of a handoff reason."""
    return REASON_LABELS.get(reason, OTHER_LABEL)


def handoff_note(ticket: Ticket) -> str:
    """The private note agents read first: reason and summary, codes masked."""
    reason = tickets.REASONS.get(ticket.reason, ticket.reason)
    summary = (ticket.summary or {}).get("text") or ""
    return f"Demande transmise par l'assistant. Motif : {reason}.\n{summary}".strip()


def callback_note(ticket: Ticket, slot: Slot) -> str:
    """The private note of a callback: whom to call, when, and the summary."""
    number = spaced_number(ticket.callback_number or "")
    when = f"{french_slot(slot)} ({slot.start:%d/%m/%Y})"
    return f"Rappel demandé au {number}, {when}.\n{handoff_note(ticket)}"


def hand_over(session: Session, ticket: Ticket) -> None:
    """Hold the ticket in Chatwoot; queue the note, the label and the handoff."""
    _hold(session, ticket)
    queue(
        session,
        ticket.conversation_id,
        [
            chatwoot_api.message(handoff_note(ticket), private=True),
            chatwoot_api.labels([reason_label(ticket.reason)]),
            chatwoot_api.status("open"),
        ],
        key=f"{CHANNEL}:ticket:{ticket.id}:handoff",
    )


def callback_booked(session: Session, ticket: Ticket, slot: Slot) -> None:
    """The callback as a Chatwoot conversation state: note, `rappel` label, open."""
    _hold(session, ticket)
    queue(
        session,
        ticket.conversation_id,
        [
            chatwoot_api.message(callback_note(ticket, slot), private=True),
            chatwoot_api.labels([CALLBACK_LABEL, reason_label(ticket.reason)]),
            chatwoot_api.status("open"),
        ],
        key=f"{CHANNEL}:ticket:{ticket.id}:callback",
    )


def release(session: Session, conversation_id: str, outcome: str) -> bool:
    """Close the conversation's open ticket (once); False if there was none."""
    ticket = tickets.open_ticket_for(session, conversation_id)
    if ticket is None:
        return False
    closed = session.execute(
        update(Ticket)
        .where(Ticket.id == ticket.id, Ticket.state.in_(tickets.OPEN_STATES))
        .values(state="closed", outcome=outcome[:200], closed_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if closed:
        handed_back = outcome == tickets.HANDED_BACK
        audit.record(
            session,
            actor=CHANNEL,
            action="ticket_handed_back" if handed_back else "ticket_closed",
            subject=f"ticket:{ticket.id}",
            channel=CHANNEL,
            details={"outcome": outcome},
        )
    return bool(closed)


def release_now(conversation_id: str, outcome: str) -> bool:
    """`release` in a transaction of its own (for the Rasa connector)."""
    settings = get_settings()
    ensure_schema(settings)
    with session_scope(settings) as session:
        lock_for_write(session)  # reads, then writes: no lock upgrade on SQLite
        return release(session, conversation_id, outcome)


def _hold(session: Session, ticket: Ticket) -> None:
    """The helpdesk holds the ticket (no claim time: the console's waits stay true)."""
    if ticket.state == "claimed":
        return
    ticket.state = "claimed"
    tickets.add_message(session, ticket, "note", HELD_NOTE)
