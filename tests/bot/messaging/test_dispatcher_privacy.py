"""What the dispatcher keeps and tells: no code once an SMS is gone, an alert when a
provider refuses our credentials, the same idempotency key on every attempt."""

from __future__ import annotations

import logging
from datetime import datetime, timezone

import pytest
from prometheus_client import REGISTRY

from bot.config import Settings
from bot.db import session_scope
from bot.messaging import SendError, dispatch_pending
from bot.messaging.dispatcher import idempotency_key
from bot.models import Channel, MessageStatus
from bot.outbox import enqueue, list_messages
from tests.bot.messaging.fakes import RecordingSender, ScriptedSender

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
CODE_SMS = "Auchan Télécom : votre code de vérification est 482913."


@pytest.fixture
def settings(migrated_url: str) -> Settings:
    return Settings(database_url=migrated_url, outbox_max_attempts=3)


def _queue(settings: Settings, text: str = CODE_SMS, channel: str = "sms") -> int:
    to = "0612345678" if channel == "sms" else "client@example.fr"
    with session_scope(settings) as session:
        message = enqueue(session, channel=channel, to=to, text=text)
        session.flush()
        return message.id


def _texts(settings: Settings) -> list[str]:
    with session_scope(settings) as session:
        return [message.text for message in list_messages(session)]


def _dispatch(settings: Settings, senders: dict) -> None:
    dispatch_pending(settings=settings, senders=senders, now=NOW)


def test_a_sent_code_is_masked_in_the_outbox(settings):
    _queue(settings)
    sender = RecordingSender()
    _dispatch(settings, {Channel.SMS: sender})
    assert sender.sent[0][1] == CODE_SMS  # the customer got the code...
    assert _texts(settings) == [  # ...the outbox keeps the message without it
        "Auchan Télécom : votre code de vérification est ••••••."
    ]


def test_a_code_given_up_on_is_masked_too(settings):
    _queue(settings)
    refused = ScriptedSender([SendError("HTTP 400", retryable=False)])
    _dispatch(settings, {Channel.SMS: refused})
    assert "482913" not in _texts(settings)[0]


def test_a_pending_code_is_kept_until_it_goes(settings):
    _queue(settings)
    _dispatch(settings, {Channel.SMS: ScriptedSender([SendError("503", True)])})
    assert _texts(settings) == [CODE_SMS]


def test_refused_credentials_raise_an_alert(settings, caplog):
    _queue(settings)
    before = REGISTRY.get_sample_value(
        "assistant_provider_credentials_refused_total", {"channel": "sms"}
    ) or 0
    refused = SendError("HTTP 401", retryable=False, credentials_refused=True)
    with caplog.at_level(logging.ERROR):
        _dispatch(settings, {Channel.SMS: ScriptedSender([refused])})
    after = REGISTRY.get_sample_value(
        "assistant_provider_credentials_refused_total", {"channel": "sms"}
    )
    assert after == before + 1
    assert any("refused our credentials" in r.getMessage() for r in caplog.records)


class KeyedRecorder:
    """A provider that takes idempotency keys: fails once, then accepts."""

    def __init__(self) -> None:
        self.keys: list[str] = []

    def send(self, to: str, text: str) -> str:
        raise AssertionError("a keyed provider gets send_keyed")

    def send_keyed(self, to: str, text: str, key: str) -> str:
        self.keys.append(key)
        if len(self.keys) == 1:
            raise SendError("HTTP 503", retryable=True)
        return "sent"


def test_every_attempt_carries_the_same_key(settings):
    message_id = _queue(settings)
    provider = KeyedRecorder()
    _dispatch(settings, {Channel.SMS: provider})
    dispatch_pending(
        settings=settings,
        senders={Channel.SMS: provider},
        now=NOW.replace(hour=10),
    )
    assert provider.keys == [idempotency_key(message_id)] * 2
    with session_scope(settings) as session:
        [message] = list_messages(session)
        assert message.status == MessageStatus.SENT
