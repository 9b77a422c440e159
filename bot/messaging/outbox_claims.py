"""Claiming outbox messages (step 1 in bot/messaging/dispatcher.py): each due message
is leased to one dispatcher at a time, in a short transaction of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from bot.db import lock_for_write
from bot.messaging.conversation_order import first_in_line
from bot.messaging.senders import MessageSender
from bot.models import Channel, MessageStatus, OutboxMessage

# How long a claimed message stays invisible to other dispatchers: far longer than
# a provider call may take (DEFAULT_TIMEOUT), short enough to resume after a crash.
CLAIM_LEASE = timedelta(minutes=2)


@dataclass(frozen=True)
class Claim:
    """What the sender needs of a claimed message (read in the claim transaction)."""

    id: int
    channel: Channel
    to: str
    text: str
    attempts: int


def _due(senders: Mapping[Channel, MessageSender], now: datetime) -> list[Any]:
    """Conditions of a pending message due now, in a channel that has a sender."""
    return [
        OutboxMessage.status == MessageStatus.PENDING,
        OutboxMessage.channel.in_(list(senders)),
        or_(
            OutboxMessage.next_attempt_at.is_(None),
            OutboxMessage.next_attempt_at <= now,
        ),
    ]


def fail_exhausted(
    session: Session,
    senders: Mapping[Channel, MessageSender],
    now: datetime,
    max_attempts: int,
) -> int:
    """Fail due messages with no attempt left (their last one was interrupted)."""
    statement = (
        update(OutboxMessage)
        .where(*_due(senders, now), OutboxMessage.attempts >= max_attempts)
        .values(
            status=MessageStatus.FAILED,
            next_attempt_at=None,
            last_error=f"gave up after {max_attempts} attempts"
            " (the last one was interrupted)",
        )
        .execution_options(synchronize_session=False)
    )
    return session.execute(statement).rowcount


def claim_next(
    session: Session,
    senders: Mapping[Channel, MessageSender],
    now: datetime,
    max_attempts: int,
    lease: timedelta = CLAIM_LEASE,
) -> Claim | None:
    """Lock the oldest due message, count the attempt and lease it to this worker."""
    lock_for_write(session)
    statement = (
        select(OutboxMessage)
        .where(
            *_due(senders, now),
            OutboxMessage.attempts < max_attempts,
            first_in_line(),
        )
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    message = session.execute(statement).scalar_one_or_none()
    if message is None:
        return None
    message.attempts += 1
    message.next_attempt_at = now + lease
    return Claim(
        id=message.id,
        channel=Channel(message.channel),
        to=message.to,
        text=message.text,
        attempts=message.attempts,
    )
