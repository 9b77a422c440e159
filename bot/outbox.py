"""The outbox: SMS and e-mails queued in the database, sent later by a worker."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.models import Channel, MessageStatus, OutboxMessage, utcnow
from bot.sms import to_gsm7


def _find_by_key(session: Session, idempotency_key: str) -> OutboxMessage | None:
    statement = select(OutboxMessage).where(
        OutboxMessage.idempotency_key == idempotency_key
    )
    return session.execute(statement).scalar_one_or_none()


def enqueue(
    session: Session,
    *,
    channel: Channel | str,
    to: str,
    text: str,
    idempotency_key: str | None = None,
) -> OutboxMessage:
    """Queue a message; a repeated idempotency key returns the queued message."""
    channel = Channel(channel)
    if channel is Channel.SMS:
        text = to_gsm7(text)  # one character outside GSM-7 would triple the cost
    if not to.strip():
        raise ValueError("an outbox message needs a recipient")
    if not text.strip():
        raise ValueError("an outbox message needs a text")
    if idempotency_key is not None:
        existing = _find_by_key(session, idempotency_key)
        if existing is not None:
            return existing
    message = OutboxMessage(
        channel=channel,
        to=to.strip(),
        text=text,
        status=MessageStatus.PENDING,
        attempts=0,
        created_at=utcnow(),
        idempotency_key=idempotency_key,
    )
    try:
        # A savepoint, so that losing a race on the same key keeps the transaction.
        with session.begin_nested():
            session.add(message)
    except IntegrityError:
        if idempotency_key is None:
            raise
        existing = _find_by_key(session, idempotency_key)
        if existing is None:
            raise
        return existing
    return message


def list_messages(session: Session) -> list[OutboxMessage]:
    """Return every outbox message, oldest first."""
    statement = select(OutboxMessage).order_by(
        OutboxMessage.created_at, OutboxMessage.id
    )
    return list(session.execute(statement).scalars())


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def to_dict(message: OutboxMessage) -> dict[str, Any]:
    """Return a JSON-ready view of a message (timestamps in ISO 8601)."""
    return {
        "id": message.id,
        "channel": Channel(message.channel).value,
        "to": message.to,
        "text": message.text,
        "status": MessageStatus(message.status).value,
        "attempts": message.attempts,
        "created_at": _iso(message.created_at),
        "sent_at": _iso(message.sent_at),
        "next_attempt_at": _iso(message.next_attempt_at),
        "last_error": message.last_error,
        "idempotency_key": message.idempotency_key,
    }
