"""Tickets: a conversation handed to the advisors, claimed by one, then closed.

A chat ticket waits in the queue until an agent claims it; the claim is one atomic
update, so two agents never hold the same ticket. The agent then hands the
conversation back to the assistant or closes it with an outcome. Everything an agent
does goes into the audit trail.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot import audit
from bot.handoff.transcript import Line
from bot.models import Agent, Ticket, TicketMessage, utcnow

OPEN_STATES = ("waiting", "claimed")
REASONS = {
    "customer_request": "Demande du client",
    "after_fallback": "Incompréhension de l'assistant",
    "deadline_passed": "Délai de modification dépassé",
    "no_porting": "Aucune portabilité trouvée",
    "porting_completed": "Portabilité déjà effectuée",
    "porting_cancelled": "Portabilité déjà annulée",
    "backend_error": "Incident technique",
    "cancel_order": "Annulation de commande",
    "slot_change": "Changement de créneau",
}
HANDED_BACK = "Rendu à l'assistant"


class TicketError(Exception):
    """A ticket cannot go where it was asked to (the message says why, in French)."""


class TicketTaken(TicketError):
    """Another agent holds the ticket."""


def find(session: Session, ticket_id: int) -> Ticket | None:
    """Return the ticket, or None."""
    return session.get(Ticket, ticket_id)


def open_ticket_for(session: Session, conversation_id: str) -> Ticket | None:
    """The conversation's ticket still waiting or held by an agent, if any."""
    statement = (
        select(Ticket)
        .where(
            Ticket.conversation_id == conversation_id,
            Ticket.state.in_(OPEN_STATES),
        )
        .order_by(Ticket.id.desc())
        .limit(1)
    )
    return session.execute(statement).scalar_one_or_none()


def has_open_ticket(session: Session, conversation_id: str) -> bool:
    """Whether the conversation has a ticket waiting or held by an agent.

    Reads the id alone: the event broker asks at every turn of every conversation,
    and loading the ticket itself cost twice as much (about 1.1 ms against 0.6).
    """
    statement = (
        select(Ticket.id)
        .where(
            Ticket.conversation_id == conversation_id,
            Ticket.state.in_(OPEN_STATES),
        )
        .limit(1)
    )
    return session.execute(statement).first() is not None


def open_chat(
    session: Session, *, conversation_id: str, **fields: Any
) -> tuple[Ticket, bool]:
    """Queue the conversation for an agent; reuse its open ticket. (ticket, created).

    `fields` are those of `create`.
    """
    existing = open_ticket_for(session, conversation_id)
    if existing is not None and existing.kind == "chat":
        return existing, False
    return create(session, conversation_id=conversation_id, **fields), True


def create(
    session: Session,
    *,
    conversation_id: str,
    channel: str,
    reason: str,
    transcript: Sequence[Line],
    summary: dict[str, Any],
    verified_msisdn: str | None,
) -> Ticket:
    """A new waiting chat ticket with the transcript so far."""
    ticket = Ticket(
        conversation_id=conversation_id,
        channel=channel,
        kind="chat",
        reason=reason,
        state="waiting",
        created_at=utcnow(),
        verified_msisdn=verified_msisdn,
        summary=summary,
    )
    session.add(ticket)
    session.flush()
    for line in transcript:
        add_message(session, ticket, line.author, line.text, at=line.at)
    audit.record(
        session,
        actor=f"conversation:{conversation_id}",
        action="handoff_requested",
        subject=f"ticket:{ticket.id}",
        channel=channel,
        details={"reason": reason},
    )
    return ticket


def latest_for(session: Session, conversation_id: str) -> Ticket | None:
    """The conversation's most recent ticket, whatever its state."""
    statement = (
        select(Ticket)
        .where(Ticket.conversation_id == conversation_id)
        .order_by(Ticket.id.desc())
        .limit(1)
    )
    return session.execute(statement).scalar_one_or_none()


def agent_of(session: Session, ticket: Ticket) -> Agent | None:
    """The agent holding (or who held) the ticket."""
    return session.get(Agent, ticket.agent_id) if ticket.agent_id else None


def add_message(
    session: Session,
    ticket: Ticket,
    author: str,
    text: str,
    *,
    agent: Agent | None = None,
    delivered: bool | None = None,
    at: datetime | None = None,
) -> TicketMessage:
    """Append a line (customer, assistant, agent) or an internal note to a ticket."""
    message = TicketMessage(
        ticket_id=ticket.id,
        author=author,
        agent_id=agent.id if agent else None,
        text=text,
        at=at or utcnow(),
        delivered=delivered,
    )
    session.add(message)
    session.flush()
    return message


def has_message(
    session: Session, ticket: Ticket, author: str, text: str, at: datetime
) -> bool:
    """Tell whether the ticket already holds this message at this time."""
    statement = select(TicketMessage.id).where(
        TicketMessage.ticket_id == ticket.id,
        TicketMessage.author == author,
        TicketMessage.text == text,
        TicketMessage.at == at,
    )
    return session.execute(statement).first() is not None


def messages(session: Session, ticket: Ticket) -> list[TicketMessage]:
    """The ticket's transcript and notes, oldest first."""
    statement = (
        select(TicketMessage)
        .where(TicketMessage.ticket_id == ticket.id)
        .order_by(TicketMessage.at, TicketMessage.id)
    )
    return list(session.execute(statement).scalars())


def claim(session: Session, ticket: Ticket, agent: Agent) -> Ticket:
    """Give a waiting ticket to `agent`; TicketTaken if someone else holds it."""
    won = session.execute(
        update(Ticket)
        .where(Ticket.id == ticket.id, Ticket.state == "waiting")
        .values(state="claimed", agent_id=agent.id, claimed_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(ticket)
    if not won:
        if ticket.state == "claimed" and ticket.agent_id == agent.id:
            return ticket  # claiming twice is harmless
        if ticket.state == "closed":
            raise TicketError("Ce ticket est déjà clos.")
        raise TicketTaken("Un autre conseiller a déjà pris ce ticket.")
    _audit(session, agent, "ticket_claimed", ticket)
    return ticket


def _held_by(ticket: Ticket, agent: Agent) -> None:
    if ticket.state != "claimed" or ticket.agent_id != agent.id:
        raise TicketError("Prenez d'abord ce ticket en charge.")


def end(session: Session, ticket: Ticket, agent: Agent, outcome: str) -> Ticket:
    """Close a ticket the agent holds with an outcome (handing back is one)."""
    _held_by(ticket, agent)
    outcome = " ".join(outcome.split())
    if not outcome:
        raise TicketError("Indiquez l'issue de la demande pour clore le ticket.")
    ticket.state = "closed"
    ticket.outcome = outcome[:200]
    ticket.closed_at = utcnow()
    action = "ticket_handed_back" if outcome == HANDED_BACK else "ticket_closed"
    _audit(session, agent, action, ticket, {"outcome": ticket.outcome})
    return ticket


def reopen(session: Session, ticket: Ticket) -> Ticket:
    """Undo a close the customer could not be told of: the agent holds it again."""
    ticket.state = "claimed"
    ticket.outcome = None
    ticket.closed_at = None
    return ticket


def reassign(session: Session, ticket: Ticket, supervisor: Agent, to: Agent) -> Ticket:
    """A supervisor gives an open ticket to another active agent."""
    if supervisor.role != "supervisor":
        raise TicketError("Seul un superviseur peut réattribuer un ticket.")
    if ticket.state == "closed":
        raise TicketError("Ce ticket est déjà clos.")
    if not to.active:
        raise TicketError("Ce conseiller est désactivé.")
    ticket.state = "claimed"
    ticket.agent_id = to.id
    ticket.claimed_at = ticket.claimed_at or utcnow()
    _audit(session, supervisor, "ticket_reassigned", ticket, {"to": to.email})
    return ticket


def _audit(
    session: Session,
    agent: Agent,
    action: str,
    ticket: Ticket,
    details: dict[str, Any] | None = None,
) -> None:
    audit.record(
        session,
        actor=f"agent:{agent.email}",
        action=action,
        subject=f"ticket:{ticket.id}",
        channel="console",
        details=details,
    )


def record_agent_action(
    session: Session,
    agent: Agent,
    action: str,
    ticket: Ticket,
    details: dict[str, Any] | None = None,
) -> None:
    """Write what an agent did on a ticket (a message, a note…) to the audit trail."""
    _audit(session, agent, action, ticket, details)


def visible_to(agent: Agent, ticket: Ticket) -> bool:
    """Supervisors see every ticket; agents the queue and their own."""
    return (
        agent.role == "supervisor"
        or ticket.state == "waiting"
        or ticket.agent_id == agent.id
    )


def listing(session: Session, agent: Agent, state: str) -> list[Ticket]:
    """Tickets in `state` the agent may see, oldest first."""
    statement = select(Ticket).where(Ticket.state == state)
    if agent.role != "supervisor" and state != "waiting":
        statement = statement.where(Ticket.agent_id == agent.id)
    order = Ticket.created_at if state != "closed" else Ticket.closed_at.desc()
    statement = statement.order_by(order, Ticket.id)
    if state == "closed":
        statement = statement.limit(100)
    return list(session.execute(statement).scalars())
