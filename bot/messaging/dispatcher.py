"""The outbox worker: send due messages, retry with backoff, give up for good.

Each message goes through two short transactions, never one held open during a call
to a provider:

1. claim: the oldest due pending message is locked (`FOR UPDATE SKIP LOCKED` on
   PostgreSQL, the database write lock on SQLite), its `attempts` counted and its
   `next_attempt_at` pushed one lease ahead, so other dispatchers leave it alone
   (bot/messaging/outbox_claims.py);
2. record: after the provider answered, the message becomes sent, is scheduled for a
   retry, or fails (bot/messaging/outbox_outcomes.py).

A conversation's Chatwoot messages go out in the order they were queued: one waits
while an older one of the same conversation is still pending (retried, say;
bot/messaging/conversation_order.py).

A crash before the provider accepted loses nothing: the message is still pending and
is picked up again once the lease ends. A crash after the provider accepted but
before step 2 committed sends the message a second time when the lease ends: the
outbox delivers at least once, never "sent" without the provider's acceptance.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings
from bot.db import session_scope
from bot.messaging.outbox_claims import Claim, claim_next, fail_exhausted
from bot.messaging.outbox_outcomes import record
from bot.messaging.senders import KeyedSender, MessageSender, SendError
from bot.metrics import SENDS, provider_name
from bot.models import Channel, utcnow

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DispatchReport:
    """How many messages one dispatch sent, scheduled for a retry, or gave up."""

    sent: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        """Return the number of messages handled."""
        return self.sent + self.retried + self.failed

    def summary(self) -> str:
        """Return a one-line account, e.g. "sent 2, retried 1, failed 0"."""
        return f"sent {self.sent}, retried {self.retried}, failed {self.failed}"


def dispatch_pending(
    *,
    settings: Settings,
    senders: Mapping[Channel, MessageSender],
    now: datetime | None = None,
    limit: int = 50,
) -> DispatchReport:
    """Send up to `limit` due pending messages of the channels that have a sender."""
    return _dispatch(settings, senders, now=now, limit=limit, stop_event=None)


def run_forever(
    settings: Settings,
    senders: Mapping[Channel, MessageSender],
    interval: float = 1.0,
    stop_event: threading.Event | None = None,
    *,
    limit: int = 50,
) -> None:
    """Dispatch due messages every `interval` seconds until `stop_event` is set."""
    if stop_event is None:
        stop_event = threading.Event()
    while not stop_event.is_set():
        try:
            report = _dispatch(
                settings, senders, now=None, limit=limit, stop_event=stop_event
            )
        except SQLAlchemyError:
            # The database may come back; the messages are safe in it meanwhile.
            logger.exception("outbox dispatch failed; next try in %s s", interval)
            report = DispatchReport()
        if report.total:
            logger.info("outbox: %s", report.summary())
        if report.total < limit:  # caught up: wait; otherwise go on at once
            stop_event.wait(interval)


def _dispatch(
    settings: Settings,
    senders: Mapping[Channel, MessageSender],
    *,
    now: datetime | None,
    limit: int,
    stop_event: threading.Event | None,
) -> DispatchReport:
    if now is not None and now.tzinfo is None:
        raise ValueError(f"naive datetime {now!r}: give a timezone-aware value")
    by_channel = {Channel(channel): sender for channel, sender in senders.items()}
    counts = {"sent": 0, "retried": 0, "failed": 0}
    if not by_channel:
        return DispatchReport()
    with session_scope(settings) as session:
        counts["failed"] = fail_exhausted(
            session, by_channel, now or utcnow(), settings.outbox_max_attempts
        )
    for _ in range(limit):
        if stop_event is not None and stop_event.is_set():
            break
        with session_scope(settings) as session:
            claim = claim_next(
                session,
                by_channel,
                now or utcnow(),
                settings.outbox_max_attempts,
                timedelta(seconds=settings.outbox_claim_lease_seconds),
            )
        if claim is None:
            break
        sender = by_channel[claim.channel]
        outcome = _send(sender, claim)
        with session_scope(settings) as session:
            result = record(session, claim, outcome, now or utcnow(), settings)
        counts[result] += 1
        SENDS.labels(
            channel=claim.channel.value, provider=provider_name(sender), outcome=result
        ).inc()
    return DispatchReport(**counts)


def _send(sender: MessageSender, claim: Claim) -> str | SendError:
    """Return the provider's message id, or the error the send ended with."""
    try:
        if isinstance(sender, KeyedSender):
            # The same key on every attempt: a send repeated after a crash between
            # the provider's answer and our record is delivered once.
            return sender.send_keyed(claim.to, claim.text, idempotency_key(claim.id))
        return sender.send(claim.to, claim.text)
    except SendError as exc:
        return exc
    except Exception as exc:  # a bug in a sender must not stop the worker
        logger.exception("outbox message %s: unexpected sender error", claim.id)
        return SendError(f"{type(exc).__name__}: {exc}", retryable=True)


def idempotency_key(message_id: int) -> str:
    """The key a provider receives with every attempt of one outbox message."""
    return f"outbox-{message_id}"
