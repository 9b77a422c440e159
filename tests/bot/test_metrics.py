"""Prometheus metrics: the database gauges read at scrape time, sends by provider."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from prometheus_client import REGISTRY, CollectorRegistry

from bot.config import Settings
from bot.db import session_scope
from bot.messaging import dispatch_pending
from bot.messaging.senders import ConsoleSender
from bot.metrics import DatabaseFigures, provider_name
from bot.models import Channel, utcnow
from bot.outbox import enqueue
from tests.bot.handoff.factories import chat_ticket
from tests.bot.messaging.fakes import RecordingSender

SENT = "assistant_outbox_sends_total"


def scrape(settings: Settings) -> CollectorRegistry:
    registry = CollectorRegistry()
    registry.register(DatabaseFigures(settings))
    return registry


def test_the_gauges_read_the_outbox_and_the_queue(migrated_url: str) -> None:
    settings = Settings(database_url=migrated_url)
    with session_scope(settings) as session:
        for text in ("un", "deux"):
            enqueue(session, channel="sms", to="0612345678", text=text)
        chat_ticket(session, "conv-1")
        claimed = chat_ticket(session, "conv-2")
        claimed.state = "claimed"
        claimed.claimed_at = utcnow()
        claimed.created_at = claimed.claimed_at - timedelta(minutes=4)
    registry = scrape(settings)
    assert registry.get_sample_value("assistant_database_up") == 1
    assert registry.get_sample_value("assistant_outbox_depth") == 2
    assert registry.get_sample_value("assistant_handoff_queue_length") == 1
    assert registry.get_sample_value("assistant_handoff_wait_seconds") == 240


def test_an_unreachable_database_reads_as_down(tmp_path) -> None:
    missing = Settings(database_url=f"sqlite:///{tmp_path}/nowhere/none.db")
    registry = scrape(missing)
    assert registry.get_sample_value("assistant_database_up") == 0
    assert registry.get_sample_value("assistant_outbox_depth") is None


def test_the_provider_is_the_senders_class() -> None:
    assert provider_name(ConsoleSender()) == "console"
    assert provider_name(RecordingSender()) == "recording"


def test_each_send_is_counted_by_channel_provider_and_outcome(
    migrated_url: str,
) -> None:
    settings = Settings(database_url=migrated_url)
    labels = {"channel": "sms", "provider": "recording", "outcome": "sent"}
    before = REGISTRY.get_sample_value(SENT, labels) or 0.0
    with session_scope(settings) as session:
        enqueue(session, channel="sms", to="0612345678", text="bonjour")
    dispatch_pending(
        settings=settings,
        senders={Channel.SMS: RecordingSender()},
        now=datetime.now(timezone.utc) + timedelta(seconds=1),
    )
    assert REGISTRY.get_sample_value(SENT, labels) == before + 1
