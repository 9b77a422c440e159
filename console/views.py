"""What the console's JSON API returns: tickets, transcripts, the customer's file."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot import orders, porting_service
from bot.clock import today
from bot.config import get_settings
from bot.dates import format_french_date
from bot.handoff import agents, tickets
from bot.handoff.hours import Slot, french_slot
from bot.masking import mask_msisdn
from bot.models import Agent, Ticket, utcnow
from bot.porting import allowed_window
from bot.porting_service import spaced_number

TRANSCRIPT_AUTHORS = ("customer", "assistant", "agent")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def ticket(session: Session, row: Ticket) -> dict[str, Any]:
    """A ticket as listed: the pinned fields, then what the page shows."""
    holder = tickets.agent_of(session, row)
    end = row.claimed_at if row.state != "waiting" else utcnow()
    callback = None
    if row.kind == "callback" and row.callback_from and row.callback_until:
        # Stored in UTC: the label speaks the customer's local time.
        zone = ZoneInfo(get_settings().timezone)
        local = Slot(
            row.callback_from.astimezone(zone), row.callback_until.astimezone(zone)
        )
        callback = {
            "number": spaced_number(row.callback_number or ""),
            "from": _iso(row.callback_from),
            "until": _iso(row.callback_until),
            "label": french_slot(local),
        }
    return {
        "id": row.id,
        "conversation_id": row.conversation_id,
        "channel": row.channel,
        "reason": row.reason,
        "state": row.state,
        "created_at": _iso(row.created_at),
        "summary": dict(row.summary or {}),
        "kind": row.kind,
        "reason_label": tickets.REASONS.get(row.reason, row.reason),
        "claimed_at": _iso(row.claimed_at),
        "closed_at": _iso(row.closed_at),
        "outcome": row.outcome,
        "agent": agents.view(holder).to_dict() if holder else None,
        "wait_minutes": round(
            ((end or utcnow()) - row.created_at).total_seconds() / 60
        ),
        "callback": callback,
    }


def ticket_detail(session: Session, row: Ticket) -> dict[str, Any]:
    """A ticket with its transcript (codes already masked) and internal notes."""
    lines = tickets.messages(session, row)
    names = {agent.id: agent.name for agent in agents.listing(session)}
    detail = ticket(session, row)
    detail["transcript"] = [
        {"from": line.author, "text": line.text, "at": _iso(line.at)}
        for line in lines
        if line.author in TRANSCRIPT_AUTHORS
    ]
    detail["notes"] = [
        {"text": line.text, "at": _iso(line.at), "agent": names.get(line.agent_id)}
        for line in lines
        if line.author == "note"
    ]
    return detail


def customer_file(session: Session, row: Ticket) -> dict[str, Any]:
    """The verified customer's porting and orders (nothing when not verified)."""
    msisdn = row.verified_msisdn
    if not msisdn:
        return {"verified": False, "number": None, "porting": None, "orders": []}
    porting = porting_service.find_porting(session, msisdn)
    day = today()
    porting_view = None
    if porting is not None:
        first, last = allowed_window(subscribed_on=porting.subscribed_on, today=day)
        porting_view = {
            "order_id": porting.order_id,
            "scheduled_on": porting.scheduled_on.isoformat(),
            "date": format_french_date(porting.scheduled_on),
            "slot": porting.slot_words,
            "status": porting.status.value,
            "window": [first.isoformat(), last.isoformat()],
            "why_not": porting_service.why_unchangeable(porting, day),
        }
    return {
        "verified": True,
        "number": mask_msisdn(msisdn),
        "porting": porting_view,
        "orders": [
            {
                "id": order.order_id,
                "status": orders.STATUS_WORDS[order.status],
                "subscribed_on": order.subscribed_on.isoformat(),
                "missing": orders.missing_documents_words(order),
            }
            for order in orders.orders_of_line(session, msisdn)
        ],
    }


def me(agent: Agent) -> dict[str, Any]:
    """The logged-in agent."""
    return agents.view(agent).to_dict()
