"""Chatwoot's application API: what the agent bot posts, queued as outbox operations.

Each call is one outbox message: `to` is the conversation's sender id
("chatwoot:<account>:<conversation>") and `text` the operation as JSON, which
ChatwootSender posts with the bot's `api_access_token` header. From Chatwoot's source:
- a message: POST /api/v1/accounts/{account}/conversations/{id}/messages with
  content, message_type "outgoing", private, content_type and content_attributes
  (app/controllers/api/v1/accounts/conversations/messages_controller.rb,
  app/builders/messages/message_builder.rb); buttons are content_type
  "input_select" with content_attributes {"items": [{"title", "value"}]}
  (app/models/message.rb); a private note is a message with private true;
- labels: POST .../labels {"labels": [...]}, which replaces the conversation's list
  (app/controllers/concerns/label_concern.rb);
- status: POST .../toggle_status {"status": "open"}; an agent bot opening a pending
  conversation is Chatwoot's bot handoff (ConversationsController#toggle_status).
The conversation id is the one agents see (display_id), as in the webhooks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import requests

from bot.channels.buttons import Choice
from bot.channels.webapi import post_json
from bot.messaging.senders import DEFAULT_TIMEOUT, SendError

SENDER_PREFIX = "chatwoot"
SENDER_ID_RE = re.compile(r"chatwoot:(\d{1,18}):(\d{1,18})")
TOKEN_HEADER = "api_access_token"
# Operation -> the conversation's API path it posts to.
PATHS = {"message": "messages", "labels": "labels", "status": "toggle_status"}


@dataclass(frozen=True)
class ConversationRef:
    """A Chatwoot conversation: its account and its id (display_id)."""

    account_id: str
    conversation_id: str

    @property
    def sender_id(self) -> str:
        """The Rasa conversation (and outbox recipient) of this Chatwoot one."""
        return f"{SENDER_PREFIX}:{self.account_id}:{self.conversation_id}"

    @classmethod
    def from_sender_id(cls, sender_id: str) -> ConversationRef | None:
        """Read back a sender id; None if it is not a Chatwoot conversation's."""
        match = SENDER_ID_RE.fullmatch(sender_id.strip())
        return cls(match.group(1), match.group(2)) if match else None

    def api_path(self, operation_path: str) -> str:
        """The application API path of an operation on this conversation."""
        return (
            f"/api/v1/accounts/{self.account_id}/conversations/"
            f"{self.conversation_id}/{operation_path}"
        )


def input_select(choices: Sequence[Choice]) -> dict[str, Any]:
    """content_attributes of an input_select: one item a button, value = payload."""
    return {"items": [{"title": c.title, "value": c.payload} for c in choices]}


def message(
    content: str, choices: Sequence[Choice] = (), *, private: bool = False
) -> str:
    """The operation posting `content` (with buttons, or as a private note)."""
    body: dict[str, Any] = {
        "content": content,
        "message_type": "outgoing",
        "private": private,
        "content_type": "text",
    }
    if choices and not private:
        body["content_type"] = "input_select"
        body["content_attributes"] = input_select(choices)
    return _operation("message", body)


def labels(names: Iterable[str]) -> str:
    """The operation setting the conversation's labels to `names`."""
    return _operation("labels", {"labels": list(dict.fromkeys(names))})


def status(value: str) -> str:
    """The operation setting the conversation's status (open, pending, resolved)."""
    return _operation("status", {"status": value})


def _operation(kind: str, body: dict[str, Any]) -> str:
    return json.dumps({"op": kind, "body": body}, ensure_ascii=False)


def read_operation(text: str) -> tuple[str, dict[str, Any]]:
    """(API path suffix, JSON body) of an outbox text; SendError if malformed."""
    try:
        operation = json.loads(text)
        path = PATHS[operation["op"]]
        body = operation["body"]
    except (ValueError, TypeError, KeyError):
        raise SendError("not a Chatwoot operation", retryable=False) from None
    if not isinstance(body, dict):
        raise SendError("not a Chatwoot operation", retryable=False)
    return path, body


class ChatwootSender:
    """The outbox's Chatwoot sender: posts each operation with the bot's token."""

    def __init__(
        self, base_url: str, bot_token: str, *, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        self._base = base_url.rstrip("/")
        self._timeout = timeout
        self._session = requests.Session()
        self._session.headers[TOKEN_HEADER] = bot_token

    def send(self, to: str, text: str) -> str:
        """Post the operation to the conversation `to`; return Chatwoot's id, if any.

        4xx answers (unknown conversation, bad token or payload) are final; 429,
        5xx and network errors are retried by the outbox.
        """
        conversation = ConversationRef.from_sender_id(to)
        if conversation is None:
            raise SendError(f"{to!r} is not a Chatwoot conversation", retryable=False)
        path, body = read_operation(text)
        answer = post_json(
            self._session,
            self._base + conversation.api_path(path),
            body,
            provider="Chatwoot",
            timeout=self._timeout,
        )
        # A message answers with its id; labels and status with a "payload".
        return str(answer.get("id") or "")
