"""Chatwoot operations in the outbox: a conversation's go out in order, and the first
retry's wait comes from the settings."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.config import ConfigError, Settings
from bot.db import session_scope
from bot.messaging import DispatchReport, SendError, dispatch_pending
from bot.models import Channel, MessageStatus, OutboxMessage
from bot.outbox import enqueue, list_messages
from tests.bot.messaging.fakes import retryable

NOW = datetime(2026, 5, 20, 9, 0, tzinfo=timezone.utc)
FIRST, SECOND = "chatwoot:7:1", "chatwoot:7:2"


class FlakySender:
    """Fails each text of `failing` once (retryable unless listed as final)."""

    def __init__(self, failing: set[str], final: set[str] = frozenset()) -> None:
        self.failing = set(failing)
        self.final = set(final)
        self.tried: list[str] = []
        self.sent: list[str] = []

    def send(self, to: str, text: str) -> str:
        self.tried.append(text)
        if text in self.final:
            raise SendError("HTTP 422", retryable=False)
        if text in self.failing:
            self.failing.discard(text)
            raise retryable()
        self.sent.append(text)
        return f"id-{len(self.sent)}"


@pytest.fixture
def settings(migrated_url: str) -> Settings:
    return Settings(database_url=migrated_url, outbox_max_attempts=5)


def queue(settings: Settings, channel: Channel, *messages: tuple[str, str]) -> None:
    with session_scope(settings) as session:
        for to, text in messages:
            enqueue(session, channel=channel, to=to, text=text)


def dispatch(settings: Settings, sender, channel: Channel, now: datetime = NOW):
    return dispatch_pending(settings=settings, senders={channel: sender}, now=now)


def statuses(settings: Settings) -> dict[str, MessageStatus]:
    with session_scope(settings) as session:
        return {m.text: MessageStatus(m.status) for m in list_messages(session)}


def test_a_conversation_waits_for_its_older_message(settings):
    queue(settings, Channel.CHATWOOT, (FIRST, "a1"), (FIRST, "a2"), (SECOND, "b1"))
    sender = FlakySender({"a1"})
    assert dispatch(settings, sender, Channel.CHATWOOT) == DispatchReport(
        sent=1, retried=1
    )
    assert sender.tried == ["a1", "b1"]  # a2 waits behind a1; b1 does not
    later = NOW + timedelta(seconds=5)
    assert dispatch(settings, sender, Channel.CHATWOOT, later) == DispatchReport(sent=2)
    assert sender.sent == ["b1", "a1", "a2"]
    assert set(statuses(settings).values()) == {MessageStatus.SENT}


def test_a_message_refused_for_good_does_not_hold_the_next_one(settings):
    queue(settings, Channel.CHATWOOT, (FIRST, "labels"), (FIRST, "a2"))
    sender = FlakySender(set(), final={"labels"})
    assert dispatch(settings, sender, Channel.CHATWOOT) == DispatchReport(
        sent=1, failed=1
    )
    assert statuses(settings) == {
        "labels": MessageStatus.FAILED,
        "a2": MessageStatus.SENT,
    }


def test_sms_are_not_held_back_by_an_older_one(settings):
    queue(settings, Channel.SMS, ("0612345678", "code"), ("0612345678", "autre"))
    sender = FlakySender({"code"})
    assert dispatch(settings, sender, Channel.SMS) == DispatchReport(sent=1, retried=1)
    assert sender.sent == ["autre"]


def test_the_first_retry_waits_as_configured(settings):
    quick = Settings(database_url=settings.database_url, outbox_first_retry_seconds=0.5)
    queue(quick, Channel.CHATWOOT, (FIRST, "a1"))
    dispatch(quick, FlakySender({"a1"}), Channel.CHATWOOT)
    with session_scope(quick) as session:
        (message,) = session.query(OutboxMessage).all()
        waited = message.next_attempt_at - NOW
    assert timedelta(seconds=0.45) <= waited <= timedelta(seconds=0.5)


def test_the_first_retry_setting_is_read_from_the_environment():
    assert Settings.from_env({}).outbox_first_retry_seconds == 5.0
    read = Settings.from_env({"OUTBOX_FIRST_RETRY_SECONDS": "0.5"})
    assert read.outbox_first_retry_seconds == 0.5
    for bad in ("0", "-1", "soon"):
        with pytest.raises(ConfigError, match="OUTBOX_FIRST_RETRY_SECONDS"):
            Settings.from_env({"OUTBOX_FIRST_RETRY_SECONDS": bad})
