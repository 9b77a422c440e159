"""Twilio SMS and WhatsApp: the webhook's form, and answers through the REST API."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qs

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException

from bot.channels.memory import Incoming
from bot.channels.splitting import sms_parts, split_to_length
from bot.messaging.senders import SendError, TwilioSender, is_retryable_status

WHATSAPP_PREFIX = "whatsapp:"
WHATSAPP_MAX_LENGTH = 1600
# Where Twilio sends a message: +E.164, optionally behind a "whatsapp:" prefix.
TWILIO_ADDRESS_RE = re.compile(r"(?:whatsapp:)?\+[1-9]\d{6,14}")


@dataclass(frozen=True)
class TwilioMessage:
    """A customer's message and the address they wrote to (ours, to answer from)."""

    incoming: Incoming
    to: str

    @property
    def whatsapp(self) -> bool:
        """Tell whether the message came by WhatsApp rather than by SMS."""
        return self.to.startswith(WHATSAPP_PREFIX)


def form_fields(body: bytes) -> dict[str, list[str]]:
    """Parse a url-encoded body, keeping empty fields: Twilio signs them too."""
    return parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)


def public_url(base_url: str, path: str, query_string: str = "") -> str:
    """Return the URL Twilio called: our public base URL, the path and the query.

    A base URL given with the webhook's path already in it is taken as it is.
    """
    url = base_url.rstrip("/")
    if not url.endswith(path):
        url += path
    return f"{url}?{query_string}" if query_string else url


def whatsapp_address(number: str) -> str:
    """Return a WhatsApp sender as Twilio wants it ("whatsapp:+14155238886")."""
    number = number.strip()
    return number if number.startswith(WHATSAPP_PREFIX) else WHATSAPP_PREFIX + number


def read_message(fields: Mapping[str, Sequence[str]]) -> TwilioMessage | None:
    """Return the customer's message, or None without a Body, From or MessageSid."""

    def field(name: str) -> str:
        values = fields.get(name) or [""]
        return values[0].strip()

    sender, to, sid, text = (
        field(name) for name in ("From", "To", "MessageSid", "Body")
    )
    if not (sender and sid and text):
        return None
    if not sender.startswith(WHATSAPP_PREFIX):
        text = text.replace("¡", "@")  # some carriers turn the GSM "@" into "¡"
    return TwilioMessage(Incoming(message_id=sid, sender=sender, text=text), to=to)


def answer_parts(text: str, whatsapp: bool) -> list[str]:
    """Cut an answer: WhatsApp up to 1600 characters, SMS up to 2 segments each."""
    if whatsapp:
        return split_to_length(text, WHATSAPP_MAX_LENGTH)
    return sms_parts(text)


class TwilioReplySender(TwilioSender):
    """A TwilioSender that writes to a Twilio address as given (+E.164, whatsapp:)."""

    def send(self, to: str, text: str) -> str:
        """Create a Twilio message to `to` and return its SID."""
        if not TWILIO_ADDRESS_RE.fullmatch(to):
            raise SendError(f"{to!r} is not a Twilio address", retryable=False)
        try:
            message = self._client.messages.create(to=to, from_=self._from, body=text)
        except TwilioRestException as exc:
            raise SendError(
                f"Twilio answered HTTP {exc.status} (code {exc.code}): {exc.msg}",
                retryable=is_retryable_status(exc.status),
            ) from exc
        except (requests.RequestException, TwilioException) as exc:
            raise SendError(
                f"could not reach Twilio: {type(exc).__name__}", retryable=True
            ) from exc
        return str(message.sid or "")
