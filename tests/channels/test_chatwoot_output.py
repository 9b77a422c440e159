"""The Chatwoot connector's answers: outbox rows, buttons as input_select items, and
a customer's reply naming a button read back as its payload."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.channels.buttons import Choice, titled_payload
from bot.channels.chatwoot_api import read_operation
from bot.channels.store import DatabaseMemory
from bot.config import Settings
from bot.db import session_scope
from bot.models import Channel, MessageStatus, OutboxMessage
from channels.chatwoot import ChatwootInput, ChatwootOutput

CONVERSATION = "chatwoot:7:10"
BUTTONS = [
    {"title": "Oui, je confirme", "payload": "/affirm"},
    {"title": "Non", "payload": "/deny"},
]
CHOICES = [Choice("Oui, je confirme", "/affirm"), Choice("Non", "/deny")]


def memory(url: str) -> DatabaseMemory:
    return DatabaseMemory(Settings(database_url=url, secret_key="test-secret"))


def rows() -> list[OutboxMessage]:
    with session_scope() as session:
        statement = select(OutboxMessage).order_by(OutboxMessage.id)
        return list(session.execute(statement).scalars())


async def test_an_answer_is_queued_in_order_with_its_buttons(migrated_url):
    output = ChatwootOutput(memory(migrated_url), reply_to="7:118")
    await output.send_response(CONVERSATION, {"text": "Bonjour"})
    await output.send_response(
        CONVERSATION, {"text": "Vous confirmez ?", "buttons": BUTTONS}
    )
    queued = rows()
    assert [(r.channel, r.to, r.status) for r in queued] == [
        (Channel.CHATWOOT, CONVERSATION, MessageStatus.PENDING)
    ] * 2
    assert [r.idempotency_key for r in queued] == [
        "chatwoot:answer:7:118:0",
        "chatwoot:answer:7:118:1",
    ]
    assert read_operation(queued[0].text)[1]["content"] == "Bonjour"
    _, question = read_operation(queued[1].text)
    assert question["content_type"] == "input_select"
    assert question["content_attributes"]["items"] == [
        {"title": "Oui, je confirme", "value": "/affirm"},
        {"title": "Non", "value": "/deny"},
    ]
    assert output.offered == CHOICES  # remembered with the answered message


async def test_the_same_answer_is_never_queued_twice(migrated_url):
    for _ in range(2):
        output = ChatwootOutput(memory(migrated_url), reply_to="7:118")
        await output.send_response(CONVERSATION, {"text": "Bonjour"})
    assert len(rows()) == 1


async def test_a_message_the_assistant_starts_remembers_its_buttons(migrated_url):
    store = memory(migrated_url)
    output = ChatwootOutput(store)
    await output.send_response(
        CONVERSATION, {"text": "Vous confirmez ?", "buttons": BUTTONS}
    )
    (row,) = rows()
    assert row.idempotency_key is None
    assert store.offered_choices("chatwoot", CONVERSATION) == CHOICES


async def test_nothing_is_queued_for_a_conversation_of_another_channel(migrated_url):
    await ChatwootOutput(memory(migrated_url)).send_response(
        "+33612345678", {"text": "x"}
    )
    assert rows() == []


@pytest.mark.parametrize(
    ("reply", "payload"),
    [
        ("Oui, je confirme", "/affirm"),
        ("  oui,   JE confirme ", "/affirm"),
        ("Non", "/deny"),
        ("non merci", None),
        ("", None),
    ],
)
def test_a_reply_naming_a_button_is_its_payload(reply, payload):
    assert titled_payload(reply, CHOICES) == payload


def test_the_connector_needs_its_four_settings_and_a_numeric_account():
    given = {
        "url": "https://chat.example.test",
        "account_id": "7",
        "bot_token": "token",
        "webhook_secret": "secret",
    }
    channel = ChatwootInput.from_credentials(given)
    assert (channel.name(), channel.account_id) == ("chatwoot", "7")
    for key in given:
        with pytest.raises(Exception, match=key):
            ChatwootInput.from_credentials({**given, key: " "})
    with pytest.raises(Exception, match="account_id must be a number"):
        ChatwootInput.from_credentials({**given, "account_id": "acme"})
