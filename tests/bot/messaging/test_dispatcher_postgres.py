"""The outbox worker on PostgreSQL: rows claimed with FOR UPDATE SKIP LOCKED.

Runs when BOT_TEST_POSTGRES_URL names a scratch database (see test_postgres.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

from bot.config import Settings
from bot.db import downgrade, migrate, session_scope
from bot.messaging import DispatchReport, dispatch_pending
from bot.models import Channel, MessageStatus
from bot.outbox import enqueue, list_messages
from tests.bot.messaging.fakes import RecordingSender, ScriptedSender, retryable
from tests.bot.messaging.test_dispatcher import run_in_threads

POSTGRES_URL = os.environ.get("BOT_TEST_POSTGRES_URL", "")
NOW = datetime(2026, 5, 20, 9, 0, tzinfo=timezone.utc)
pytestmark = pytest.mark.skipif(
    not POSTGRES_URL and not os.environ.get("CI"),
    reason="BOT_TEST_POSTGRES_URL names no scratch PostgreSQL database",
)


@pytest.fixture
def postgres() -> Iterator[Settings]:
    """Settings on a freshly migrated scratch PostgreSQL database."""
    if not POSTGRES_URL:
        pytest.fail("CI must run these tests: BOT_TEST_POSTGRES_URL is not set")
    downgrade(POSTGRES_URL)
    migrate(POSTGRES_URL)
    yield Settings(database_url=POSTGRES_URL, outbox_max_attempts=3)
    downgrade(POSTGRES_URL)


def queue(settings: Settings, *texts: str) -> None:
    with session_scope(settings) as session:
        for text in texts:
            enqueue(session, channel="sms", to="0612345678", text=text)


def test_concurrent_dispatchers_on_postgresql_send_each_message_once(postgres):
    texts = [f"message {n}" for n in range(30)]
    queue(postgres, *texts)
    sender = RecordingSender(delay=0.005)

    def dispatch() -> None:
        dispatch_pending(settings=postgres, senders={Channel.SMS: sender}, now=NOW)

    assert run_in_threads(4, dispatch) == []
    assert sorted(text for _, text in sender.sent) == sorted(texts)
    with session_scope(postgres) as session:
        assert {m.status for m in list_messages(session)} == {MessageStatus.SENT}


def test_a_retry_is_scheduled_and_sent_on_postgresql(postgres):
    queue(postgres, "x")
    senders = {Channel.SMS: ScriptedSender([retryable(), "id"])}
    first = dispatch_pending(settings=postgres, senders=senders, now=NOW)
    later = NOW + timedelta(seconds=5)
    second = dispatch_pending(settings=postgres, senders=senders, now=later)
    assert (first, second) == (DispatchReport(retried=1), DispatchReport(sent=1))
    with session_scope(postgres) as session:
        [message] = list_messages(session)
    assert (message.attempts, message.sent_at) == (2, later)
