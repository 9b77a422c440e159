"""Twilio SMS and WhatsApp, with signed webhooks (X-Twilio-Signature).

Rasa's own Twilio connector checks no signature and fails on a message without
Body; this one refuses unsigned requests (403), ignores replays and bodiless
requests (200), shows buttons as a numbered list, and keeps SMS short.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from rasa.core.channels.channel import InputChannel
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.buttons import choices_from, numbered
from bot.channels.memory import ChannelMemory
from bot.channels.signatures import twilio_request_valid
from bot.channels.store import DatabaseMemory
from bot.channels.twilio_api import (
    WHATSAPP_PREFIX,
    TwilioReplySender,
    answer_parts,
    form_fields,
    public_url,
    read_message,
    whatsapp_address,
)
from bot.messaging.senders import MessageSender, SendError
from channels.base import (
    RETRY_LATER,
    NumberingOutput,
    OnNewMessage,
    hand_over,
    optional,
    required,
)

logger = logging.getLogger(__name__)
CHANNEL = "twilio_signed"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
SenderFor = Callable[[str], MessageSender | None]


class TwilioSignedOutput(NumberingOutput):
    """Answers through Twilio; a turn's texts go together, cut to the limits."""

    @classmethod
    def name(cls) -> str:
        """Return the channel's name."""
        return CHANNEL

    def __init__(
        self,
        sender_for: SenderFor,
        *,
        hold: bool = True,
        memory: ChannelMemory | None = None,
    ) -> None:
        super().__init__()
        self._sender_for = sender_for
        self._hold = hold
        self._held: dict[str, list[str]] = {}
        # Messages the assistant starts (hold=False) remember their numbered
        # choices here; answers to the customer's messages do it in hand_over.
        self._memory = memory

    async def send_text_message(
        self, recipient_id: str, text: str, **kwargs: Any
    ) -> None:
        """Send `text`, held until the end of the turn to send fewer messages."""
        self._held.setdefault(recipient_id, []).append(text)
        if not self._hold:
            await self.flush()

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Send `text` followed by the buttons as a numbered list."""
        choices = choices_from(buttons)
        text = numbered(text, choices, self.number(choices))
        await self.send_text_message(recipient_id, text)
        if self._memory is not None and not self._hold:
            await asyncio.to_thread(
                self._memory.offered, CHANNEL, recipient_id, self.offered
            )

    async def flush(self) -> None:
        """Send the held texts: SMS of at most 2 segments, WhatsApp up to 1600."""
        held, self._held = self._held, {}
        for recipient, texts in held.items():
            sender = self._sender_for(recipient)
            if sender is None:
                logger.error("%s: no number to answer %s from", CHANNEL, recipient)
                continue
            whatsapp = recipient.startswith(WHATSAPP_PREFIX)
            for part in answer_parts("\n\n".join(texts), whatsapp):
                try:
                    await asyncio.to_thread(sender.send, recipient, part)
                except SendError as error:
                    logger.error("%s: answer not sent: %s", CHANNEL, error)
                    break


class TwilioSignedInput(InputChannel):
    """Receives Twilio's signed SMS and WhatsApp webhooks."""

    @classmethod
    def name(cls) -> str:
        """Return the channel's name (the URL is /webhooks/twilio_signed/webhook)."""
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Build the channel from account_sid, auth_token and webhook_base_url."""
        given = required(
            cls, credentials, "account_sid", "auth_token", "webhook_base_url"
        )
        return cls(
            account_sid=str(given["account_sid"]).strip(),
            auth_token=str(given["auth_token"]).strip(),
            webhook_base_url=str(given["webhook_base_url"]).strip(),
            sms_from=optional(given, "sms_from"),
            whatsapp_from=optional(given, "whatsapp_from"),
            api_base_url=optional(given, "api_base_url"),
        )

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        webhook_base_url: str,
        *,
        sms_from: str | None = None,
        whatsapp_from: str | None = None,
        api_base_url: str | None = None,
        memory: ChannelMemory | None = None,
    ) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.webhook_base_url = webhook_base_url
        self.sms_from = sms_from
        self.whatsapp_from = whatsapp_address(whatsapp_from) if whatsapp_from else None
        self.api_base_url = api_base_url
        self.memory = memory or DatabaseMemory()
        self._senders: dict[str, TwilioReplySender] = {}

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """Declare GET / (health) and POST /webhook."""
        webhook = Blueprint(f"{CHANNEL}_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            fields = form_fields(request.body)
            url = public_url(self.webhook_base_url, request.path, request.query_string)
            signature = request.headers.get("X-Twilio-Signature")
            if not twilio_request_valid(self.auth_token, url, fields, signature):
                logger.warning("%s: refused a request with a bad signature", CHANNEL)
                return response.text("forbidden", status=403)
            message = read_message(fields)
            if message is not None:
                to = message.to
                output = TwilioSignedOutput(
                    lambda recipient: self._sender(to)
                    if to
                    else self._default(recipient)
                )
                handled = await hand_over(
                    on_new_message, self.memory, CHANNEL, message.incoming, output
                )
                if not handled:
                    return response.text(RETRY_LATER, status=503)
            return response.text(EMPTY_TWIML, content_type="text/xml")

        return webhook

    def get_output_channel(self) -> TwilioSignedOutput:
        """An output for messages the assistant starts, from the configured numbers."""
        return TwilioSignedOutput(self._default, hold=False, memory=self.memory)

    def _default(self, recipient: str) -> MessageSender | None:
        whatsapp = recipient.startswith(WHATSAPP_PREFIX)
        address = self.whatsapp_from if whatsapp else self.sms_from
        return self._sender(address) if address else None

    def _sender(self, from_address: str) -> TwilioReplySender:
        """The sender answering from `from_address` (one Twilio client each)."""
        if from_address not in self._senders:
            self._senders[from_address] = TwilioReplySender(
                self.account_sid,
                self.auth_token,
                from_address,
                api_base_url=self.api_base_url,
            )
        return self._senders[from_address]
