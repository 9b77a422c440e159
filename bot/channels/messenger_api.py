"""Messenger: read the page webhook's events and answer with the Send API."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import requests

from bot.channels.buttons import Choice
from bot.channels.memory import Incoming
from bot.channels.splitting import split_to_length
from bot.channels.webapi import post_json
from bot.messaging.senders import DEFAULT_TIMEOUT

DEFAULT_API_BASE_URL = "https://graph.facebook.com/v20.0"
MAX_TEXT_LENGTH = 2000
MAX_QUICK_REPLIES = 13
MAX_QUICK_REPLY_TITLE = 20


def read_events(payload: Mapping[str, Any]) -> list[Incoming]:
    """Return the customers' texts, quick replies and postbacks of a page webhook."""
    if payload.get("object") != "page":
        return []
    found = []
    for entry in payload.get("entry") or []:
        for event in entry.get("messaging") or []:
            incoming = _read_event(event)
            if incoming is not None:
                found.append(incoming)
    return found


def _read_event(event: Mapping[str, Any]) -> Incoming | None:
    sender = str((event.get("sender") or {}).get("id") or "")
    message = event.get("message")
    postback = event.get("postback")
    if isinstance(message, dict) and not message.get("is_echo"):
        quick_reply = message.get("quick_reply") or {}
        text = quick_reply.get("payload") or message.get("text")
        mid = message.get("mid")
    elif isinstance(postback, dict):
        text = postback.get("payload")
        # Older API versions give postbacks no mid: sender and time identify them.
        mid = postback.get("mid") or f"postback:{sender}:{event.get('timestamp')}"
    else:
        return None
    if not (sender and mid and isinstance(text, str) and text.strip()):
        return None
    return Incoming(message_id=str(mid), sender=sender, text=text)


def titles_fit(choices: Sequence[Choice]) -> bool:
    """Tell whether the choices fit quick replies as they are (13, 20 characters)."""
    return len(choices) <= MAX_QUICK_REPLIES and all(
        len(choice.title) <= MAX_QUICK_REPLY_TITLE for choice in choices
    )


def quick_replies(choices: Sequence[Choice], start: int | None) -> list[dict[str, str]]:
    """Quick replies titled as the choices, or with their numbers from `start`."""
    return [
        {
            "content_type": "text",
            "title": choice.title if start is None else str(number),
            "payload": choice.payload,
        }
        for number, choice in enumerate(choices, start or 1)
    ][:MAX_QUICK_REPLIES]


def text_parts(text: str) -> list[str]:
    """Cut a text into messages Messenger accepts (2000 characters)."""
    return split_to_length(text, MAX_TEXT_LENGTH)


class MessengerSendApi:
    """The Graph API's Send API for one page (raise SendError on failure)."""

    def __init__(
        self,
        page_access_token: str,
        *,
        api_base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        base = (api_base_url or DEFAULT_API_BASE_URL).rstrip("/")
        self._url = f"{base}/me/messages"
        self._timeout = timeout
        self._session = requests.Session()
        self._session.headers["Authorization"] = f"Bearer {page_access_token}"

    def send(
        self, recipient_id: str, text: str, replies: list[dict[str, str]] | None = None
    ) -> dict[str, Any]:
        """Send a text (with optional quick replies) in answer to the customer."""
        message: dict[str, Any] = {"text": text}
        if replies:
            message["quick_replies"] = replies
        payload = {
            "recipient": {"id": recipient_id},
            "messaging_type": "RESPONSE",
            "message": message,
        }
        return post_json(
            self._session,
            self._url,
            payload,
            provider="Messenger Send API",
            timeout=self._timeout,
        )
