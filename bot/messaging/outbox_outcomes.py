"""Recording what became of a send (step 2 in bot/messaging/dispatcher.py): sent,
scheduled for a retry with backoff, or failed for good.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.config import Settings
from bot.db import lock_for_write
from bot.masking import mask_codes
from bot.messaging.outbox_claims import Claim
from bot.messaging.senders import SendError
from bot.metrics import CREDENTIALS_REFUSED
from bot.models import Channel, MessageStatus, OutboxMessage

# The worker's log lines keep the one logger name they had before this module.
logger = logging.getLogger("bot.messaging.dispatcher")

FIRST_RETRY_DELAY = timedelta(seconds=5)
MAX_RETRY_DELAY = timedelta(minutes=10)
JITTER = 0.1  # a retry comes up to 10 % early, so that workers do not move in step


def retry_delay(
    attempts: int,
    rand: Callable[[], float] = random.random,
    first: timedelta = FIRST_RETRY_DELAY,
) -> timedelta:
    """Return the wait after failed attempt n: 5 s, 10 s, 20 s... at most 10 min."""
    base = min(first * 2 ** max(attempts - 1, 0), MAX_RETRY_DELAY)
    return base * (1 - JITTER * rand())


def record(
    session: Session,
    claim: Claim,
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


def _forget_codes(message: OutboxMessage) -> None:
    """Once an SMS is sent (or given up), its one-time code is of no use to
    anyone: keep the record without it."""
    if message.channel == Channel.SMS:
        message.text = mask_codes(message.text)
