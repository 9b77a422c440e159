"""Telegram: read Bot API updates and answer with sendMessage and inline keyboards."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import requests

from bot.channels.buttons import Choice
from bot.channels.memory import Incoming
from bot.channels.splitting import split_to_length, utf16_length
from bot.channels.webapi import post_json
from bot.messaging.senders import DEFAULT_TIMEOUT

DEFAULT_API_BASE_URL = "https://api.telegram.org"
MAX_TEXT_LENGTH = 4096  # UTF-16 code units
MAX_CALLBACK_DATA = 64  # bytes
START_RE = re.compile(r"/start(?:@\w+)?(?:\s.*)?", re.DOTALL)
ALLOWED_UPDATES = ("message", "callback_query")


@dataclass(frozen=True)
class TelegramUpdate:
    """A customer's message or button tap (with the query to acknowledge)."""

    incoming: Incoming
    callback_query_id: str | None = None


def read_update(update: Mapping[str, Any]) -> TelegramUpdate | None:
    """Return the text or button of a private chat's update, or None to ignore it."""
    update_id = update.get("update_id")
    if not isinstance(update_id, int):
        return None
    message = update.get("message")
    if isinstance(message, dict):
        text = message.get("text")
        chat = message.get("chat") or {}
        if chat.get("type") != "private" or not isinstance(text, str):
            return None
        return TelegramUpdate(Incoming(str(update_id), str(chat.get("id")), text))
    query = update.get("callback_query")
    if isinstance(query, dict) and isinstance(query.get("data"), str):
        chat = (query.get("message") or {}).get("chat") or {}
        if chat and chat.get("type") != "private":
            return None
        # In a private chat the chat id is the user's id.
        chat_id = chat.get("id") or (query.get("from") or {}).get("id")
        if chat_id is None:
            return None
        incoming = Incoming(str(update_id), str(chat_id), query["data"])
        return TelegramUpdate(incoming, callback_query_id=str(query.get("id")))
    return None


def is_start(text: str) -> bool:
    """Tell whether `text` is the /start command a new chat begins with."""
    return bool(START_RE.fullmatch(text.strip()))


def needs_numbers(choices: Sequence[Choice]) -> bool:
    """Tell whether a payload is too long for callback_data (then numbers go)."""
    return any(len(c.payload.encode()) > MAX_CALLBACK_DATA for c in choices)


def inline_keyboard(choices: Sequence[Choice], start: int | None) -> dict[str, Any]:
    """One button a row; callback_data is the payload, or its number from `start`."""
    rows = [
        [
            {
                "text": choice.title,
                "callback_data": choice.payload if start is None else str(number),
            }
        ]
        for number, choice in enumerate(choices, start or 1)
    ]
    return {"inline_keyboard": rows}


def text_parts(text: str) -> list[str]:
    """Cut a text into messages Telegram accepts (4096 UTF-16 units)."""
    return split_to_length(text, MAX_TEXT_LENGTH, utf16_length)


class TelegramBotApi:
    """The Bot API calls the connector makes (raise SendError on failure)."""

    def __init__(
        self,
        token: str,
        *,
        api_base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        base = (api_base_url or DEFAULT_API_BASE_URL).rstrip("/")
        self._url = f"{base}/bot{token}/"
        self._timeout = timeout
        self._session = requests.Session()

    def send_message(
        self, chat_id: str, text: str, reply_markup: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Send a plain text (no parse mode), with an optional keyboard."""
        payload: dict[str, Any] = {"chat_id": chat_id, "text": text}
        if reply_markup:
            payload["reply_markup"] = reply_markup
        return self._call("sendMessage", payload)

    def answer_callback_query(self, callback_query_id: str) -> dict[str, Any]:
        """Stop the spinner on the button the customer tapped."""
        return self._call(
            "answerCallbackQuery", {"callback_query_id": callback_query_id}
        )

    def set_webhook(self, url: str, secret_token: str) -> dict[str, Any]:
        """Point the bot's updates at `url`, signed with `secret_token`."""
        payload = {
            "url": url,
            "secret_token": secret_token,
            "allowed_updates": list(ALLOWED_UPDATES),
        }
        return self._call("setWebhook", payload)

    def _call(self, method: str, payload: dict[str, Any]) -> dict[str, Any]:
        return post_json(
            self._session,
            self._url + method,
            payload,
            provider=f"Telegram {method}",
            timeout=self._timeout,
        )
