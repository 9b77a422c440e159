"""Reading Chatwoot's agent-bot webhooks: what the assistant answers, what it ignores.

The payloads follow Chatwoot's documented samples (docs: webhook-events,
"message_created", "conversation_status_changed") and Message#webhook_data.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from bot.channels.chatwoot_api import ConversationRef
from bot.channels.chatwoot_webhooks import (
    CustomerMessage,
    StatusChange,
    read_event,
    submitted_value,
)
from bot.channels.memory import Incoming

ACCOUNT = "1"
CONVERSATION = {
    "additional_attributes": {},
    "can_reply": True,
    "channel": "Channel::WebWidget",
    "id": 10,
    "inbox_id": 1,
    "messages": [],
    "meta": {"sender": {"id": 14, "name": "little-haze-776", "type": "contact"}},
    "status": "pending",
    "unread_count": 1,
    "timestamp": 1627063369,
}
MESSAGE_CREATED: dict[str, Any] = {
    "id": 118,
    "content": "hi",
    "created_at": "2021-07-23T18:02:48.000Z",
    "message_type": "incoming",
    "content_type": "text",
    "private": False,
    "content_attributes": {},
    "source_id": None,
    "sender": {"id": 14, "name": "little-haze-776", "avatar": "", "type": "contact"},
    "inbox": {"id": 1, "name": "Acme Support"},
    "conversation": CONVERSATION,
    "account": {"id": 1, "name": "Acme Inc"},
    "event": "message_created",
}
SELECT_ITEMS = [
    {"title": "Oui, je confirme", "value": "/affirm"},
    {"title": "Non", "value": "/deny"},
]


def payload(**changes: Any) -> dict[str, Any]:
    """The message_created sample with some fields changed."""
    return {**copy.deepcopy(MESSAGE_CREATED), **changes}


def tap(value: str = "/affirm", **changes: Any) -> dict[str, Any]:
    """The bot's input_select message after the customer tapped an item."""
    return payload(
        event="message_updated",
        id=120,
        message_type="outgoing",
        content="Vous confirmez ?",
        content_type="input_select",
        content_attributes={
            "items": SELECT_ITEMS,
            "submitted_values": [{"title": "Oui, je confirme", "value": value}],
        },
        sender={"id": 1, "name": "Assistant", "type": "agent_bot"},
        **changes,
    )


def status_event(event: str, status: str, **changes: Any) -> dict[str, Any]:
    return {**copy.deepcopy(CONVERSATION), "status": status, "event": event, **changes}


def test_a_customer_message_of_a_pending_conversation_is_read():
    assert read_event(payload(), ACCOUNT) == CustomerMessage(
        ConversationRef("1", "10"),
        Incoming(message_id="1:118", sender="chatwoot:1:10", text="hi"),
        "pending",
    )


def test_the_conversation_status_comes_with_the_message():
    conversation = {**CONVERSATION, "status": "open"}
    event = read_event(payload(conversation=conversation), ACCOUNT)
    assert isinstance(event, CustomerMessage)
    assert event.status == "open"


@pytest.mark.parametrize(
    "changes",
    [
        # The bot's own message, sent back by Chatwoot.
        {"message_type": "outgoing", "sender": {"id": 1, "type": "agent_bot"}},
        # An agent's reply and an agent's private note.
        {"message_type": "outgoing", "sender": {"id": 2, "type": "user"}},
        {"message_type": "outgoing", "private": True, "sender": {"type": "user"}},
        # A private note, whoever wrote it; activity and template messages.
        {"private": True},
        {"message_type": "activity", "sender": None},
        {"message_type": "template"},
        # An incoming message claiming another sender type.
        {"sender": {"id": 1, "type": "agent_bot"}},
        # Nothing to read: an attachment alone, blank text.
        {"content": None},
        {"content": "   "},
        # Another account, no account, no conversation, no id.
        {"account": {"id": 2, "name": "Other"}},
        {"account": None},
        {"conversation": None},
        {"id": None},
        {"conversation": {**CONVERSATION, "id": "10; drop"}},
    ],
)
def test_other_messages_are_ignored(changes):
    assert read_event(payload(**changes), ACCOUNT) is None


@pytest.mark.parametrize("event", ["webwidget_triggered", "conversation_created", None])
def test_other_events_are_ignored(event):
    assert read_event(payload(event=event), ACCOUNT) is None


def test_a_tapped_item_is_read_as_its_value():
    event = read_event(tap(), ACCOUNT)
    assert event == CustomerMessage(
        ConversationRef("1", "10"),
        Incoming(message_id="1:120:submitted", sender="chatwoot:1:10", text="/affirm"),
        "pending",
    )


def test_other_message_updates_are_ignored():
    untapped = tap()
    del untapped["content_attributes"]["submitted_values"]
    assert read_event(untapped, ACCOUNT) is None
    edited = payload(event="message_updated")  # a text, not an input_select
    assert read_event(edited, ACCOUNT) is None
    assert read_event(tap(private=True), ACCOUNT) is None


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        ({"submitted_values": [{"title": "Non", "value": "/deny"}]}, "/deny"),
        ({"submitted_values": [{"title": "Non"}]}, "Non"),
        ({"submitted_values": []}, None),
        ({"submitted_values": "oui"}, None),
        ({"submitted_values": ["oui"]}, None),
        ({}, None),
    ],
)
def test_the_submitted_value(attributes, expected):
    message = {"content_type": "input_select", "content_attributes": attributes}
    assert submitted_value(message) == expected


def test_a_status_change_is_read_with_the_new_status():
    changed = [{"status": {"previous_value": "open", "current_value": "pending"}}]
    event = status_event(
        "conversation_status_changed", "pending", changed_attributes=changed
    )
    assert read_event(event, ACCOUNT) == StatusChange(
        ConversationRef("1", "10"), "pending"
    )


@pytest.mark.parametrize(
    ("event", "status", "expected"),
    [
        ("conversation_resolved", "resolved", "resolved"),
        ("conversation_opened", "open", "open"),
        ("conversation_status_changed", "snoozed", "snoozed"),
    ],
)
def test_the_legacy_status_events(event, status, expected):
    change = read_event(status_event(event, status), ACCOUNT)
    assert change == StatusChange(ConversationRef("1", "10"), expected)


def test_a_status_change_of_another_account_is_ignored():
    other = status_event("conversation_resolved", "resolved", account={"id": 9})
    assert read_event(other, ACCOUNT) is None
    nameless = status_event("conversation_status_changed", "", id=10)
    assert read_event(nameless, ACCOUNT) is None


@pytest.mark.parametrize(
    ("sender_id", "expected"),
    [
        ("chatwoot:1:10", ConversationRef("1", "10")),
        (" chatwoot:12:3456 ", ConversationRef("12", "3456")),
        ("chatwoot:1:", None),
        ("chatwoot:a:10", None),
        ("+33612345678", None),
        ("chatwoot:1:10:2", None),
    ],
)
def test_sender_ids_name_a_conversation(sender_id, expected):
    assert ConversationRef.from_sender_id(sender_id) == expected
    if expected is not None:
        assert expected.sender_id == sender_id.strip()
