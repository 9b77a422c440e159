"""Retention: delete what is kept about customers once it is no longer needed.

`python -m bot purge --older-than DAYS` deletes, when older than DAYS days: outbox
messages already sent or given up (never one still waiting: it would be lost),
channel replay records, verification codes and reset links; and, in Rasa's SQL
tracker store (TRACKER_STORE_URL), the conversations whose last event is older.
Rate limits look back 24 hours at most, so at least one day is always kept.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import create_engine, delete, or_, text
from sqlalchemy.orm import Session

from bot.models import (
    ChannelMessage,
    MessageStatus,
    OutboxMessage,
    ResetLink,
    VerificationCode,
    utcnow,
)

MIN_DAYS = 1


def purge(
    session: Session, older_than_days: int, now: datetime | None = None
) -> dict[str, int]:
    """Delete the records older than `older_than_days`; return how many, by kind."""
    if older_than_days < MIN_DAYS:
        raise ValueError(f"keep at least {MIN_DAYS} day (rate limits look back 24 h)")
    cutoff = (now or utcnow()) - timedelta(days=older_than_days)
    statements = {
        "outbox messages (sent or failed)": delete(OutboxMessage).where(
            OutboxMessage.created_at < cutoff,
            OutboxMessage.status.in_([MessageStatus.SENT, MessageStatus.FAILED]),
        ),
        "channel replay records": delete(ChannelMessage).where(
            ChannelMessage.received_at < cutoff
        ),
        # A code still proving a conversation verified is not old (last_used_at).
        "verification codes": delete(VerificationCode).where(
            VerificationCode.created_at < cutoff,
            or_(
                VerificationCode.last_used_at.is_(None),
                VerificationCode.last_used_at < cutoff,
            ),
        ),
        "reset links": delete(ResetLink).where(ResetLink.created_at < cutoff),
    }
    return {
        kind: session.execute(statement).rowcount or 0
        for kind, statement in statements.items()
    }


# Rasa's SQL tracker store keeps one row per event in `events` (sender_id, timestamp
# in seconds): a conversation goes as a whole, never a part of it.
_OLD_CONVERSATIONS = text(
    "DELETE FROM events WHERE sender_id IN ("
    " SELECT sender_id FROM events GROUP BY sender_id HAVING max(timestamp) < :cutoff)"
)
_COUNT_OLD = text(
    "SELECT count(*) FROM (SELECT sender_id FROM events GROUP BY sender_id"
    " HAVING max(timestamp) < :cutoff) AS old"
)


def purge_conversations(
    tracker_store_url: str, older_than_days: int, now: datetime | None = None
) -> int:
    """Delete the conversations idle for `older_than_days` from Rasa's SQL tracker
    store; return how many."""
    if older_than_days < MIN_DAYS:
        raise ValueError(f"keep at least {MIN_DAYS} day")
    cutoff = ((now or utcnow()) - timedelta(days=older_than_days)).timestamp()
    engine = create_engine(tracker_store_url, future=True)
    try:
        with engine.begin() as connection:
            count = connection.execute(_COUNT_OLD, {"cutoff": cutoff}).scalar_one()
            connection.execute(_OLD_CONVERSATIONS, {"cutoff": cutoff})
    finally:
        engine.dispose()
    return int(count)
