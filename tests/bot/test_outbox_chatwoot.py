"""Migration 0006: the outbox accepts Chatwoot operations, and the change undoes."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from bot.config import Settings
from bot.db import dispose_engines, downgrade, migrate, session_scope
from bot.models import Channel, MessageStatus
from bot.outbox import enqueue, list_messages

INSERT = text(
    'INSERT INTO outbox_messages (channel, "to", text, status, attempts, created_at)'
    " VALUES (:channel, 'chatwoot:7:1', '{}', 'pending', 0, CURRENT_TIMESTAMP)"
)


def test_a_chatwoot_operation_is_queued_like_any_message(migrated_url):
    settings = Settings(database_url=migrated_url)
    with session_scope(settings) as session:
        enqueue(session, channel="chatwoot", to="chatwoot:7:1", text='{"op": "x"}')
    with session_scope(settings) as session:
        (message,) = list_messages(session)
    assert (message.channel, message.status) == (
        Channel.CHATWOOT,
        MessageStatus.PENDING,
    )
    assert message.text == '{"op": "x"}'  # not folded like an SMS


def test_undoing_0006_drops_chatwoot_rows_and_refuses_new_ones(migrated_url):
    dispose_engines()
    engine = create_engine(migrated_url, future=True)
    try:
        with engine.begin() as connection:
            connection.execute(INSERT, {"channel": "chatwoot"})
            connection.execute(INSERT, {"channel": "sms"})
        downgrade(migrated_url, "0005")
        with engine.begin() as connection:
            channels = connection.execute(text("SELECT channel FROM outbox_messages"))
            assert [row[0] for row in channels] == ["sms"]
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(INSERT, {"channel": "chatwoot"})
        migrate(migrated_url)
        with engine.begin() as connection:
            connection.execute(INSERT, {"channel": "chatwoot"})
    finally:
        engine.dispose()
