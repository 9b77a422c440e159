"""Telegram, with the Bot API's webhook secret token checked on every update.

Rasa's own Telegram connector takes its `verify` setting (the bot's user name, which
anyone can read) for a secret; this one checks X-Telegram-Bot-Api-Secret-Token in
constant time and refuses anything else with 403.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import replace
from typing import Any

from rasa.core.channels.channel import InputChannel
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.buttons import choices_from
from bot.channels.memory import ChannelMemory
from bot.channels.signatures import TELEGRAM_SECRET_RE, telegram_secret_valid
from bot.channels.store import DatabaseMemory
from bot.channels.telegram_api import (
    TelegramBotApi,
    inline_keyboard,
    is_start,
    needs_numbers,
    read_update,
    text_parts,
)
from bot.messaging.senders import SendError
from channels.base import (
    RETRY_LATER,
    NumberingOutput,
    OnNewMessage,
    hand_over,
    optional,
    required,
)

logger = logging.getLogger(__name__)
CHANNEL = "telegram_secret"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# What the assistant receives when a chat starts with /start.
START_TEXT = "/greet"


class TelegramSecretOutput(NumberingOutput):
    """Answers with sendMessage; buttons become an inline keyboard."""

    @classmethod
    def name(cls) -> str:
        """Return the channel's name."""
        return CHANNEL

    def __init__(self, api: TelegramBotApi) -> None:
        super().__init__()
        self._api = api

    async def send_text_message(
        self, recipient_id: str, text: str, **kwargs: Any
    ) -> None:
        """Send `text`, cut into messages of at most 4096 characters."""
        await self._send(recipient_id, text, None)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Send `text` with one inline button a row under its last part."""
        choices = choices_from(buttons)
        start = self.number(choices) if needs_numbers(choices) else None
        keyboard = inline_keyboard(choices, start) if choices else None
        await self._send(recipient_id, text, keyboard)

    async def _send(
        self, chat_id: str, text: str, keyboard: dict[str, Any] | None
    ) -> None:
        parts = text_parts(text)
        for index, part in enumerate(parts):
            markup = keyboard if index == len(parts) - 1 else None
            try:
                await asyncio.to_thread(self._api.send_message, chat_id, part, markup)
            except SendError as error:
                logger.error("%s: answer not sent: %s", CHANNEL, error)
                return


class TelegramSecretInput(InputChannel):
    """Receives Telegram updates whose secret token header is ours."""

    @classmethod
    def name(cls) -> str:
        """Return the channel's name (the URL is /webhooks/telegram_secret/webhook)."""
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Build the channel from access_token and secret_token (webhook_url: opt.)."""
        given = required(cls, credentials, "access_token", "secret_token")
        return cls(
            access_token=str(given["access_token"]).strip(),
            secret_token=str(given["secret_token"]).strip(),
            webhook_url=optional(given, "webhook_url"),
            api_base_url=optional(given, "api_base_url"),
        )

    def __init__(
        self,
        access_token: str,
        secret_token: str,
        *,
        webhook_url: str | None = None,
        api_base_url: str | None = None,
        memory: ChannelMemory | None = None,
    ) -> None:
        if not TELEGRAM_SECRET_RE.fullmatch(secret_token):
            raise RasaException(
                f"The {CHANNEL} secret_token must be 1 to 256 letters, digits, "
                "'_' or '-' (what Telegram accepts)."
            )
        self.secret_token = secret_token
        self.webhook_url = webhook_url
        self.api = TelegramBotApi(access_token, api_base_url=api_base_url)
        self.memory = memory or DatabaseMemory()

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """Declare GET / (health) and POST /webhook; register the webhook at start."""
        webhook = Blueprint(f"{CHANNEL}_webhook", __name__)

        @webhook.listener("before_server_start")
        async def register(app: Sanic, loop: Any) -> None:
            await self._register_webhook()

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            header = request.headers.get(SECRET_HEADER)
            if not telegram_secret_valid(self.secret_token, header):
                logger.warning("%s: refused an update without our secret", CHANNEL)
                return response.text("forbidden", status=403)
            try:
                update = json.loads(request.body)
            except ValueError:
                return response.text("not JSON", status=400)
            found = read_update(update) if isinstance(update, dict) else None
            if found is not None:
                if found.callback_query_id:
                    await self._acknowledge(found.callback_query_id)
                incoming = found.incoming
                if is_start(incoming.text):
                    incoming = replace(incoming, text=START_TEXT)
                output = TelegramSecretOutput(self.api)
                if not await hand_over(
                    on_new_message, self.memory, CHANNEL, incoming, output
                ):
                    return response.text(RETRY_LATER, status=503)
            return response.text("")

        return webhook

    def get_output_channel(self) -> TelegramSecretOutput:
        """An output for messages the assistant starts."""
        return TelegramSecretOutput(self.api)

    async def _register_webhook(self) -> None:
        """Point Telegram at webhook_url with our secret token, if one is set."""
        if not self.webhook_url:
            return
        try:
            await asyncio.to_thread(
                self.api.set_webhook, self.webhook_url, self.secret_token
            )
        except SendError as error:
            logger.error("%s: webhook not registered: %s", CHANNEL, error)

    async def _acknowledge(self, callback_query_id: str) -> None:
        try:
            await asyncio.to_thread(self.api.answer_callback_query, callback_query_id)
        except SendError as error:
            logger.warning("%s: button tap not acknowledged: %s", CHANNEL, error)
