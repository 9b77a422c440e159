"""The outbox worker: send due messages, retry with backoff, give up for good.

Each message goes through two short transactions, never one held open during a call
to a provider:

1. claim: the oldest due pending message is locked (`FOR UPDATE SKIP LOCKED` on
   PostgreSQL, the database write lock on SQLite), its `attempts` counted and its
   `next_attempt_at` pushed one lease ahead, so other dispatchers leave it alone;
2. record: after the provider answered, the message becomes sent, is scheduled for a
   retry, or fails.

A conversation's Chatwoot messages go out in the order they were queued: one waits
while an older one of the same conversation is still pending (retried, say).

A crash before the provider accepted loses nothing: the message is still pending and
is picked up again once the lease ends. A crash after the provider accepted but
before step 2 committed sends the message a second time when the lease ends: the
outbox delivers at least once, never "sent" without the provider's acceptance.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, aliased

from bot.config import Settings
from bot.db import lock_for_write, session_scope
from bot.masking import mask_codes
from bot.messaging.senders import KeyedSender, MessageSender, SendError
from bot.metrics import CREDENTIALS_REFUSED, SENDS, provider_name
from bot.models import Channel, MessageStatus, OutboxMessage, utcnow

logger = logging.getLogger(__name__)

FIRST_RETRY_DELAY = timedelta(seconds=5)
MAX_RETRY_DELAY = timedelta(minutes=10)
JITTER = 0.1  # a retry comes up to 10 % early, so that workers do not move in step
# How long a claimed message stays invisible to other dispatchers: far longer than
# a provider call may take (DEFAULT_TIMEOUT), short enough to resume after a crash.
CLAIM_LEASE = timedelta(minutes=2)
# Channels whose messages to one recipient must arrive in order (a chat's answers).
ORDERED_CHANNELS = (Channel.CHATWOOT,)


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


@dataclass(frozen=True)
class _Claim:
    """What the sender needs of a claimed message (read in the claim transaction)."""

    id: int
    channel: Channel
    to: str
    text: str
    attempts: int


def retry_delay(
    attempts: int,
    rand: Callable[[], float] = random.random,
    first: timedelta = FIRST_RETRY_DELAY,
) -> timedelta:
    """Return the wait after failed attempt n: 5 s, 10 s, 20 s... at most 10 min."""
    base = min(first * 2 ** max(attempts - 1, 0), MAX_RETRY_DELAY)
    return base * (1 - JITTER * rand())


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
        counts["failed"] = _fail_exhausted(
            session, by_channel, now or utcnow(), settings.outbox_max_attempts
        )
    for _ in range(limit):
        if stop_event is not None and stop_event.is_set():
            break
        with session_scope(settings) as session:
            claim = _claim_next(
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
            result = _record(session, claim, outcome, now or utcnow(), settings)
        counts[result] += 1
        SENDS.labels(
            channel=claim.channel.value, provider=provider_name(sender), outcome=result
        ).inc()
    return DispatchReport(**counts)


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


def _first_in_line() -> Any:
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


def _fail_exhausted(
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


def _claim_next(
    session: Session,
    senders: Mapping[Channel, MessageSender],
    now: datetime,
    max_attempts: int,
    lease: timedelta = CLAIM_LEASE,
) -> _Claim | None:
    """Lock the oldest due message, count the attempt and lease it to this worker."""
    lock_for_write(session)
    statement = (
        select(OutboxMessage)
        .where(
            *_due(senders, now),
            OutboxMessage.attempts < max_attempts,
            _first_in_line(),
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
    return _Claim(
        id=message.id,
        channel=Channel(message.channel),
        to=message.to,
        text=message.text,
        attempts=message.attempts,
    )


def _send(sender: MessageSender, claim: _Claim) -> str | SendError:
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


def _record(
    session: Session,
    claim: _Claim,
    outcome: str | SendError,
    now: datetime,
    settings: Settings,
) -> str:
    """Store the outcome of one attempt; return "sent", "retried" or "failed"."""
    lock_for_write(session)
    message = session.get(OutboxMessage, claim.id, with_for_update=True)
    if isinstance(outcome, str):
        logger.info("outbox message %s sent (%s)", claim.id, outcome or "no id")
        if message is not None and message.status != MessageStatus.SENT:
            message.status = MessageStatus.SENT
            message.sent_at = now
            message.next_attempt_at = None
            _forget_codes(message)
        return "sent"
    logger.warning(
        "outbox message %s, attempt %s: %s", claim.id, claim.attempts, outcome
    )
    if outcome.credentials_refused:
        # Not a passing outage: every message will fail until someone fixes it.
        logger.error(
            "ALERT: the %s provider refused our credentials (%s): check its settings",
            claim.channel.value,
            outcome,
        )
        CREDENTIALS_REFUSED.labels(channel=claim.channel.value).inc()
    if message is None or message.attempts != claim.attempts:
        # Our lease ended and another dispatcher took the message over: its call.
        return "retried" if outcome.retryable else "failed"
    if not outcome.retryable:
        _fail(message, str(outcome))
        return "failed"
    if claim.attempts >= settings.outbox_max_attempts:
        _fail(message, f"{outcome} (gave up after {claim.attempts} attempts)")
        return "failed"
    message.last_error = str(outcome)
    first = timedelta(seconds=settings.outbox_first_retry_seconds)
    message.next_attempt_at = now + retry_delay(claim.attempts, first=first)
    return "retried"


def _fail(message: OutboxMessage, error: str) -> None:
    message.status = MessageStatus.FAILED
    message.last_error = error
    message.next_attempt_at = None
    _forget_codes(message)


def idempotency_key(message_id: int) -> str:
    """The key a provider receives with every attempt of one outbox message."""
    return f"outbox-{message_id}"


def _forget_codes(message: OutboxMessage) -> None:
    """Once an SMS is sent (or given up), its one-time code is of no use to
    anyone: keep the record without it."""
    if message.channel == Channel.SMS:
        message.text = mask_codes(message.text)
