"""The queue as customers and supervisors see it: position, expected wait, figures.

The expected wait is the median of recent waits (from a ticket's creation to its
claim) times the customer's position: a plain estimate that follows the team's pace.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.models import Ticket, utcnow

RECENT = timedelta(days=7)
RECENT_WAITS = 50  # the last claims that make the estimate


def position(session: Session, ticket: Ticket) -> int:
    """1 for the next chat ticket an agent will take, 2 for the one after…"""
    ahead = session.execute(
        select(func.count(Ticket.id)).where(
            Ticket.state == "waiting",
            Ticket.kind == "chat",
            Ticket.id < ticket.id,
        )
    ).scalar_one()
    return int(ahead) + 1


def recent_waits(session: Session, now: datetime | None = None) -> list[timedelta]:
    """How long the last claimed chat tickets of the past 7 days waited."""
    now = now or utcnow()
    rows = session.execute(
        select(Ticket.created_at, Ticket.claimed_at)
        .where(
            Ticket.kind == "chat",
            Ticket.claimed_at.is_not(None),
            Ticket.claimed_at >= now - RECENT,
        )
        .order_by(Ticket.claimed_at.desc())
        .limit(RECENT_WAITS)
    ).all()
    return [claimed - created for created, claimed in rows]


def expected_wait(
    session: Session, place: int, now: datetime | None = None
) -> int | None:
    """Minutes a customer at `place` may wait, or None with no recent claim."""
    waits = recent_waits(session, now)
    if not waits:
        return None
    median = statistics.median(wait.total_seconds() for wait in waits)
    return max(1, math.ceil(median * place / 60))


def overdue(session: Session, timeout: timedelta, now: datetime | None = None):
    """Waiting chat tickets nobody claimed within `timeout`, not yet offered a call."""
    now = now or utcnow()
    statement = (
        select(Ticket)
        .where(
            Ticket.state == "waiting",
            Ticket.kind == "chat",
            Ticket.created_at <= now - timeout,
            Ticket.callback_offered_at.is_(None),
        )
        .order_by(Ticket.created_at)
    )
    return list(session.execute(statement).scalars())


def weekly_figures(session: Session, now: datetime | None = None) -> dict[str, Any]:
    """Tickets per reason and the median wait (minutes) over the last 7 days."""
    now = now or utcnow()
    reasons = session.execute(
        select(Ticket.reason).where(Ticket.created_at >= now - RECENT)
    ).scalars()
    waits = recent_waits(session, now)
    median = statistics.median(w.total_seconds() for w in waits) if waits else None
    return {
        "per_reason": dict(Counter(reasons).most_common()),
        "median_wait_minutes": round(median / 60, 1) if median is not None else None,
        "claimed": len(waits),
    }
