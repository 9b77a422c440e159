"""The outbox's per-conversation order: a conversation's Chatwoot messages go out in
the order they were queued (bot/messaging/dispatcher.py claims them).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, or_
from sqlalchemy.orm import aliased

from bot.models import Channel, MessageStatus, OutboxMessage

# Channels whose messages to one recipient must arrive in order (a chat's answers).
ORDERED_CHANNELS = (Channel.CHATWOOT,)


def first_in_line() -> Any:
    """No older message to the same recipient still pending, in an ordered channel."""
    older = aliased(OutboxMessage)
    return or_(
        OutboxMessage.channel.not_in(ORDERED_CHANNELS),
        ~exists().where(
            older.channel == OutboxMessage.channel,
            older.to == OutboxMessage.to,
            older.status == MessageStatus.PENDING,
            or_(
                older.created_at < OutboxMessage.created_at,
                and_(
                    older.created_at == OutboxMessage.created_at,
                    older.id < OutboxMessage.id,
                ),
            ),
        ),
    )
