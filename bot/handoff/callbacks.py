"""Callbacks: a customer books a half-day in which an advisor will phone them.

Offered outside the support hours, or when nobody claimed a waiting ticket in time;
the callback then takes that ticket's place in the queue (same transcript, same
summary), so the advisor who calls knows the story.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from bot import audit
from bot.db import set_once
from bot.handoff import tickets
from bot.handoff.hours import Slot
from bot.handoff.transcript import Line
from bot.models import Ticket, utcnow


def book(
    session: Session,
    *,
    conversation_id: str,
    channel: str,
    reason: str,
    number: str,
    slot: Slot,
    transcript: Sequence[Line],
    summary: dict[str, Any],
    verified_msisdn: str | None,
) -> Ticket:
    """Queue a callback; a waiting chat ticket of the conversation becomes it."""
    ticket = tickets.open_ticket_for(session, conversation_id)
    if ticket is None or ticket.state != "waiting":
        ticket = tickets.create(
            session,
            conversation_id=conversation_id,
            channel=channel,
            reason=reason,
            transcript=transcript,
            summary=summary,
            verified_msisdn=verified_msisdn,
        )
    ticket.kind = "callback"
    ticket.callback_number = number
    ticket.callback_from = slot.start
    ticket.callback_until = slot.end
    ticket.summary = {**ticket.summary, **summary}
    audit.record(
        session,
        actor=f"conversation:{conversation_id}",
        action="callback_booked",
        subject=f"ticket:{ticket.id}",
        channel=channel,
        details={"from": slot.start.isoformat(), "until": slot.end.isoformat()},
    )
    return ticket


def mark_offered(session: Session, ticket: Ticket) -> bool:
    """Record that a callback was offered for this ticket; False if already done."""
    return set_once(session, ticket, "callback_offered_at", utcnow())


def unmark_offered(session: Session, conversation_id: str) -> None:
    """The offer could not reach the customer: offer it again at the next look."""
    ticket = tickets.open_ticket_for(session, conversation_id)
    if ticket is not None:
        ticket.callback_offered_at = None
