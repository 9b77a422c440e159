"""Queue Chatwoot operations in the outbox; the dispatcher posts them, in order.

Nothing calls Chatwoot while a customer waits: an answer is a row of the outbox,
retried with backoff when Chatwoot is down, marked sent once Chatwoot accepted it,
and never queued twice for the same idempotency key (a replayed webhook, say).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from bot.config import Settings, get_settings
from bot.db import ensure_schema, lock_for_write, session_scope
from bot.models import Channel
from bot.outbox import enqueue


def queue(
    session: Session,
    conversation: str,
    operations: Sequence[str],
    key: str | None = None,
) -> None:
    """Queue operations (chatwoot_api.message, labels, status) for a conversation.

    With `key`, the n-th operation gets the idempotency key "<key>:<n>".
    """
    for number, operation in enumerate(operations):
        enqueue(
            session,
            channel=Channel.CHATWOOT,
            to=conversation,
            text=operation,
            idempotency_key=f"{key}:{number}" if key else None,
        )


def queue_now(
    conversation: str,
    operation: str,
    idempotency_key: str | None = None,
    settings: Settings | None = None,
) -> None:
    """Queue one operation in a transaction of its own (for the Rasa connector)."""
    settings = settings or get_settings()
    ensure_schema(settings)
    with session_scope(settings) as session:
        # enqueue reads (the key) before it writes: on SQLite, take the write lock
        # first, or a dispatcher's write in between fails this one at once.
        lock_for_write(session)
        enqueue(
            session,
            channel=Channel.CHATWOOT,
            to=conversation,
            text=operation,
            idempotency_key=idempotency_key,
        )
