"""Chatwoot's agent-bot webhooks: the customer messages to answer, the status changes.

Payloads as Chatwoot builds them (app/listeners/agent_bot_listener.rb):
- message_created / message_updated carry Message#webhook_data (app/models/message.rb):
  id, content, message_type ("incoming", "outgoing"…), content_type,
  content_attributes, private, sender {type: "contact" | "user" | "agent_bot"},
  conversation {id (the display id), status} and account {id};
- conversation_status_changed / conversation_resolved / conversation_opened carry
  Conversation#webhook_data (Conversations::EventDataPresenter#push_data): id,
  status…, plus `changed_attributes` for a status change.
A tap on an input_select button in Chatwoot's widget updates the bot's own message
with content_attributes.submitted_values [{"title", "value"}]
(app/controllers/api/v1/widget/messages_controller.rb): message_updated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.channels.chatwoot_api import ConversationRef
from bot.channels.memory import Incoming

PENDING = "pending"
RESOLVED = "resolved"
CUSTOMER = "contact"
INCOMING = ("incoming", 0)
STATUS_EVENTS = {
    "conversation_status_changed": None,  # the new status is the payload's
    "conversation_opened": "open",
    "conversation_resolved": RESOLVED,
}


@dataclass(frozen=True)
class CustomerMessage:
    """A customer's text or button tap, and the conversation's status at the time."""

    conversation: ConversationRef
    incoming: Incoming
    status: str


@dataclass(frozen=True)
class StatusChange:
    """The conversation's new status (pending, open, resolved, snoozed)."""

    conversation: ConversationRef
    status: str


ChatwootEvent = CustomerMessage | StatusChange


def read_event(payload: Mapping[str, Any], account_id: str) -> ChatwootEvent | None:
    """What a webhook of our account means for the assistant; None to ignore it.

    Ignored: other accounts, private notes, messages of agents and of the bot itself
    (Chatwoot sends the bot its own messages back), empty texts, other events.
    """
    event = payload.get("event")
    if event in STATUS_EVENTS:
        return _status_change(payload, account_id, STATUS_EVENTS[event])
    if event not in ("message_created", "message_updated"):
        return None
    if payload.get("private") in (True, "true"):
        return None
    conversation = payload.get("conversation")
    account = payload.get("account")
    if not isinstance(conversation, Mapping) or not isinstance(account, Mapping):
        return None
    if _text(account.get("id")) != account_id:
        return None
    ref = _conversation(account_id, conversation.get("id"))
    message_id = _text(payload.get("id"))
    if ref is None or not message_id:
        return None
    if event == "message_created":
        text = _customer_text(payload)
        message_id = f"{account_id}:{message_id}"
    else:
        text = submitted_value(payload)
        message_id = f"{account_id}:{message_id}:submitted"
    if not text:
        return None
    incoming = Incoming(message_id=message_id, sender=ref.sender_id, text=text)
    return CustomerMessage(ref, incoming, _text(conversation.get("status")))


def submitted_value(payload: Mapping[str, Any]) -> str | None:
    """The value (the button's payload) of a tapped input_select item, if any."""
    if payload.get("content_type") != "input_select":
        return None
    attributes = payload.get("content_attributes")
    if not isinstance(attributes, Mapping):
        return None
    submitted = attributes.get("submitted_values")
    if not isinstance(submitted, list) or not submitted:
        return None
    first = submitted[0]
    if not isinstance(first, Mapping):
        return None
    value = _text(first.get("value")) or _text(first.get("title"))
    return value or None


def _customer_text(payload: Mapping[str, Any]) -> str | None:
    if payload.get("message_type") not in INCOMING:
        return None
    sender = payload.get("sender")
    if isinstance(sender, Mapping) and sender.get("type", CUSTOMER) != CUSTOMER:
        return None
    content = payload.get("content")
    return content if isinstance(content, str) and content.strip() else None


def _status_change(
    payload: Mapping[str, Any], account_id: str, status: str | None
) -> StatusChange | None:
    # Conversation payloads name their account only in some versions.
    account = payload.get("account")
    if isinstance(account, Mapping) and _text(account.get("id")) != account_id:
        return None
    ref = _conversation(account_id, payload.get("id"))
    status = status or _text(payload.get("status"))
    return StatusChange(ref, status) if ref is not None and status else None


def _conversation(account_id: str, conversation_id: Any) -> ConversationRef | None:
    ref = ConversationRef(account_id, _text(conversation_id))
    return ref if ConversationRef.from_sender_id(ref.sender_id) == ref else None


def _text(value: Any) -> str:
    """A number or string as text ("12" for 12); empty for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return ""
    return str(value).strip()
