"""Chatwoot operations as outbox texts, and the sender that posts them (local fake)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from bot.channels import chatwoot_api
from bot.channels.buttons import Choice
from bot.channels.chatwoot_api import ChatwootSender, ConversationRef, read_operation
from bot.config import Settings
from bot.messaging import SendError, senders_from_settings
from bot.models import Channel
from tests.channels.e2e.fake_chatwoot import ACCOUNT_ID, BOT_TOKEN, FakeChatwoot

CHOICES = [Choice("Oui, je confirme", "/affirm"), Choice("Non", "/deny")]


@pytest.fixture
def chatwoot() -> Iterator[FakeChatwoot]:
    fake = FakeChatwoot().start()
    yield fake
    fake.stop()


def conversation_of(fake: FakeChatwoot) -> tuple[int, str]:
    number = fake.new_conversation()
    return number, ConversationRef(str(ACCOUNT_ID), str(number)).sender_id


def test_a_message_is_an_outgoing_text():
    assert read_operation(chatwoot_api.message("Bonjour")) == (
        "messages",
        {
            "content": "Bonjour",
            "message_type": "outgoing",
            "private": False,
            "content_type": "text",
        },
    )


def test_buttons_become_an_input_select_whose_values_are_the_payloads():
    _, body = read_operation(chatwoot_api.message("Vous confirmez ?", CHOICES))
    assert body["content_type"] == "input_select"
    assert body["content_attributes"] == {
        "items": [
            {"title": "Oui, je confirme", "value": "/affirm"},
            {"title": "Non", "value": "/deny"},
        ]
    }


def test_a_private_note_has_no_buttons():
    _, body = read_operation(chatwoot_api.message("Note", CHOICES, private=True))
    assert body == {
        "content": "Note",
        "message_type": "outgoing",
        "private": True,
        "content_type": "text",
    }


def test_labels_and_status():
    assert read_operation(chatwoot_api.labels(["rappel", "rappel", "x"])) == (
        "labels",
        {"labels": ["rappel", "x"]},
    )
    assert read_operation(chatwoot_api.status("open")) == (
        "toggle_status",
        {"status": "open"},
    )


@pytest.mark.parametrize(
    "text",
    [
        "Bonjour",
        "[]",
        json.dumps({"op": "delete", "body": {}}),
        json.dumps({"op": "message", "body": []}),
        json.dumps({"op": "message"}),
    ],
)
def test_anything_else_is_refused_for_good(text):
    with pytest.raises(SendError) as refused:
        read_operation(text)
    assert refused.value.retryable is False


def test_the_sender_posts_each_operation_with_the_bot_token(chatwoot):
    number, to = conversation_of(chatwoot)
    sender = ChatwootSender(chatwoot.url + "/", BOT_TOKEN)
    message_id = sender.send(to, chatwoot_api.message("Vous confirmez ?", CHOICES))
    assert sender.send(to, chatwoot_api.labels(["rappel"])) == ""
    assert sender.send(to, chatwoot_api.status("open")) == ""
    calls = chatwoot.calls_for(number)
    assert [call.path for call in calls] == [
        f"/api/v1/accounts/{ACCOUNT_ID}/conversations/{number}/messages",
        f"/api/v1/accounts/{ACCOUNT_ID}/conversations/{number}/labels",
        f"/api/v1/accounts/{ACCOUNT_ID}/conversations/{number}/toggle_status",
    ]
    assert {call.headers["api_access_token"] for call in calls} == {BOT_TOKEN}
    (posted,) = chatwoot.bot_messages(number)
    assert message_id == str(posted["id"])
    assert posted["content_attributes"]["items"][1] == {
        "title": "Non",
        "value": "/deny",
    }
    state = chatwoot.conversations[number]
    assert (state.status, state.labels) == ("open", ["rappel"])


def test_chatwoot_down_or_failing_is_worth_a_retry(chatwoot):
    _, to = conversation_of(chatwoot)
    sender = ChatwootSender(chatwoot.url, BOT_TOKEN)
    chatwoot.failing = 503
    with pytest.raises(SendError) as failing:
        sender.send(to, chatwoot_api.message("Bonjour"))
    assert failing.value.retryable and "503" in str(failing.value)
    chatwoot.failing = None
    chatwoot.down()
    try:
        with pytest.raises(SendError) as refused:
            sender.send(to, chatwoot_api.message("Bonjour"))
        assert refused.value.retryable
    finally:
        chatwoot.up()
    assert sender.send(to, chatwoot_api.message("Bonjour"))


def test_refusals_are_final(chatwoot):
    number, to = conversation_of(chatwoot)
    cases = [
        (ChatwootSender(chatwoot.url, "wrong-token"), to, "401"),
        (ChatwootSender(chatwoot.url, BOT_TOKEN), f"chatwoot:{ACCOUNT_ID}:1", "404"),
        (ChatwootSender(chatwoot.url, BOT_TOKEN), "+33612345678", "not a Chatwoot"),
    ]
    for sender, recipient, reason in cases:
        with pytest.raises(SendError) as refused:
            sender.send(recipient, chatwoot_api.message("Bonjour"))
        assert refused.value.retryable is False
        assert reason in str(refused.value)
    with pytest.raises(SendError) as unknown_label:
        cases[1][0].send(to, chatwoot_api.labels(["inconnu"]))
    assert unknown_label.value.retryable is False
    assert chatwoot.conversations[number].labels == []
    assert "wrong-token" not in str(refused.value)


def test_the_dispatcher_has_a_chatwoot_sender_only_when_configured():
    assert Channel.CHATWOOT not in senders_from_settings(Settings())
    only_url = Settings(chatwoot_url="https://chat.example.test")
    assert Channel.CHATWOOT not in senders_from_settings(only_url)
    configured = Settings.from_env(
        {"CHATWOOT_URL": "https://chat.example.test/", "CHATWOOT_BOT_TOKEN": "t"}
    )
    assert configured.chatwoot_url == "https://chat.example.test"
    assert isinstance(
        senders_from_settings(configured)[Channel.CHATWOOT], ChatwootSender
    )
