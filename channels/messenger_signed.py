"""Facebook Messenger, with X-Hub-Signature-256 checked on every webhook.

Rasa's own connector checks the SHA-1 signature and answers 200 when it is wrong;
this one checks HMAC-SHA256 of the raw body with the app secret in constant time and
refuses with 403, and answers the verification GET only with our verify token.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from rasa.core.channels.channel import InputChannel
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.buttons import choices_from, numbered
from bot.channels.memory import ChannelMemory
from bot.channels.messenger_api import (
    MAX_QUICK_REPLIES,
    MessengerSendApi,
    quick_replies,
    read_events,
    text_parts,
    titles_fit,
)
from bot.channels.signatures import messenger_signature_valid, same_secret
from bot.channels.store import DatabaseMemory
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
CHANNEL = "messenger_signed"
SIGNATURE_HEADER = "X-Hub-Signature-256"


class MessengerSignedOutput(NumberingOutput):
    """Answers with the Send API; buttons become quick replies."""

    @classmethod
    def name(cls) -> str:
        """Return the channel's name."""
        return CHANNEL

    def __init__(self, api: MessengerSendApi) -> None:
        super().__init__()
        self._api = api

    async def send_text_message(
        self, recipient_id: str, text: str, **kwargs: Any
    ) -> None:
        """Send `text`, cut into messages of at most 2000 characters."""
        await self._send(recipient_id, text, None)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Send quick replies; titles too long for them are listed by number."""
        choices = choices_from(buttons)
        if titles_fit(choices):
            replies = quick_replies(choices, None)
        else:
            start = self.number(choices)
            text = numbered(text, choices, start)
            fits = len(choices) <= MAX_QUICK_REPLIES
            replies = quick_replies(choices, start) if fits else None
        await self._send(recipient_id, text, replies or None)

    async def _send(
        self, recipient_id: str, text: str, replies: list[dict[str, str]] | None
    ) -> None:
        parts = text_parts(text)
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            try:
                await asyncio.to_thread(
                    self._api.send, recipient_id, part, replies if last else None
                )
            except SendError as error:
                logger.error("%s: answer not sent: %s", CHANNEL, error)
                return


class MessengerSignedInput(InputChannel):
    """Receives the page's Messenger webhooks signed with our app secret."""

    @classmethod
    def name(cls) -> str:
        """Return the channel's name (the URL is /webhooks/messenger_signed/webhook)."""
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Build the channel from page_access_token, app_secret and verify_token."""
        given = required(
            cls, credentials, "page_access_token", "app_secret", "verify_token"
        )
        return cls(
            page_access_token=str(given["page_access_token"]).strip(),
            app_secret=str(given["app_secret"]).strip(),
            verify_token=str(given["verify_token"]).strip(),
            api_base_url=optional(given, "api_base_url"),
        )

    def __init__(
        self,
        page_access_token: str,
        app_secret: str,
        verify_token: str,
        *,
        api_base_url: str | None = None,
        memory: ChannelMemory | None = None,
    ) -> None:
        self.app_secret = app_secret
        self.verify_token = verify_token
        self.api = MessengerSendApi(page_access_token, api_base_url=api_base_url)
        self.memory = memory or DatabaseMemory()

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """Declare GET / (health), GET /webhook (verification) and POST /webhook."""
        webhook = Blueprint(f"{CHANNEL}_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            token = request.args.get("hub.verify_token")
            subscribing = request.args.get("hub.mode") == "subscribe"
            if not (subscribing and same_secret(self.verify_token, token)):
                logger.warning("%s: refused a verification request", CHANNEL)
                return response.text("forbidden", status=403)
            return response.text(request.args.get("hub.challenge") or "")

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            signature = request.headers.get(SIGNATURE_HEADER)
            if not messenger_signature_valid(self.app_secret, request.body, signature):
                logger.warning("%s: refused a request with a bad signature", CHANNEL)
                return response.text("forbidden", status=403)
            try:
                payload = json.loads(request.body)
            except ValueError:
                return response.text("not JSON", status=400)
            events = read_events(payload) if isinstance(payload, dict) else []
            handled = True
            for incoming in events:
                output = MessengerSignedOutput(self.api)
                handled &= await hand_over(
                    on_new_message, self.memory, CHANNEL, incoming, output
                )
            if not handled:
                # Messenger sends the batch again: the others are then replays.
                return response.text(RETRY_LATER, status=503)
            return response.text("EVENT_RECEIVED")

        return webhook

    def get_output_channel(self) -> MessengerSignedOutput:
        """An output for messages the assistant starts."""
        return MessengerSignedOutput(self.api)
