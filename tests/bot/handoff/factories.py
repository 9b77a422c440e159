"""Agents and tickets for the handoff tests, written straight to the database."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from bot.handoff import agents, tickets
from bot.handoff.transcript import Line
from bot.models import Agent, Ticket

PASSWORD = "correct horse battery"


def make_agent(
    session: Session,
    email: str,
    *,
    role: str = "agent",
    active: bool = True,
    name: str | None = None,
) -> Agent:
    """An agent with the password PASSWORD (a real Argon2id hash)."""
    agent = agents.add(
        session,
        email=email,
        name=name or email.split("@")[0].capitalize(),
        password=PASSWORD,
        role=role,
    )
    agent.active = active
    session.flush()
    return agent


def chat_ticket(
    session: Session,
    conversation: str = "conv-1",
    *,
    reason: str = "customer_request",
    created_at: datetime | None = None,
    lines: Sequence[Line] = (),
    verified: str | None = None,
) -> Ticket:
    """A waiting chat ticket, created at `created_at` when given."""
    ticket = tickets.create(
        session,
        conversation_id=conversation,
        channel="rest",
        reason=reason,
        transcript=lines,
        summary={"wanted": ["suivre sa commande"]},
        verified_msisdn=verified,
    )
    if created_at is not None:
        ticket.created_at = created_at
    session.flush()
    return ticket
