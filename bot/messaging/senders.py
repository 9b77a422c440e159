"""SMS senders: one small interface, a console sender and two real providers.

Every sender takes a French national number (0612345678) and a text, returns the
provider's message id, and raises `SendError` saying whether trying again later can
help: HTTP 429, 5xx and network errors can; any other refusal cannot.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Mapping
from typing import Protocol, TextIO, runtime_checkable
from urllib.parse import urlparse

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from bot.config import ConfigError, Settings
from bot.models import Channel
from bot.normalize import normalize_phone_number

DEFAULT_TIMEOUT = 10.0  # seconds, for every call to a provider
# Network failures worth another try; other request errors (bad URL...) are not.
_TRANSIENT_ERRORS = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
)


class SendError(Exception):
    """A provider did not accept a message; `retryable` says if a retry may work,
    `credentials_refused` that the provider refused our credentials (an alert)."""

    def __init__(
        self, message: str, retryable: bool, *, credentials_refused: bool = False
    ) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.credentials_refused = credentials_refused


class MessageSender(Protocol):
    """Delivers a text to one recipient and returns the provider's message id."""

    def send(self, to: str, text: str) -> str:
        """Send `text` to `to`; raise SendError when the provider refuses."""
        ...


@runtime_checkable
class KeyedSender(Protocol):
    """A sender whose provider takes an idempotency key: a message sent again with
    the same key (after a crash between its sending and its recording) is
    delivered once."""

    def send_keyed(self, to: str, text: str, key: str) -> str:
        """Send `text` to `to` once per `key`; raise SendError when refused."""
        ...


def credentials_refused(status: int) -> bool:
    """Tell whether an HTTP status says the provider refused our credentials."""
    return status in (401, 403)


class SmsSender(MessageSender, Protocol):
    """A MessageSender whose recipients are French phone numbers."""


def is_retryable_status(status: int) -> bool:
    """Tell whether an HTTP error status is worth retrying (429 and 5xx)."""
    return status == 429 or status >= 500


def to_e164(number: str) -> str:
    """Return a French number in E.164 (0612345678 -> +33612345678)."""
    national = normalize_phone_number(number)
    if national is None:
        raise SendError(f"{number!r} is not a French phone number", retryable=False)
    return "+33" + national[1:]


class ConsoleSender:
    """Writes each SMS to a stream instead of sending it (for development)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream

    def send(self, to: str, text: str) -> str:
        """Write "SMS to <number>: <text>" and return a made-up message id."""
        stream = self._stream or sys.stdout  # looked up late: tests swap stdout
        stream.write(f"SMS to {to}: {text}\n")
        stream.flush()
        return f"console-{uuid.uuid4().hex[:12]}"


class TwilioSender:
    """Sends SMS through Twilio's Messages REST API (the `twilio` package)."""

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        from_number: str,
        *,
        api_base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self._from = _twilio_sender_id(from_number)
        self._client = Client(
            account_sid, auth_token, http_client=TwilioHttpClient(timeout=timeout)
        )
        # Only our settings choose the host: ignore TWILIO_EDGE / TWILIO_REGION,
        # which the client reads from the environment and would rewrite it with.
        self._client.edge = None
        self._client.region = None
        if api_base_url:
            # The Api domain builds every URL from base_url (twilio 8.x).
            self._client.api.base_url = api_base_url.rstrip("/")

    def send(self, to: str, text: str) -> str:
        """Create a Twilio message and return its SID (SM...)."""
        recipient = to_e164(to)
        try:
            message = self._client.messages.create(
                to=recipient, from_=self._from, body=text
            )
        except TwilioRestException as exc:
            raise SendError(
                f"Twilio answered HTTP {exc.status} (code {exc.code}): {exc.msg}",
                retryable=is_retryable_status(exc.status),
                credentials_refused=credentials_refused(exc.status),
            ) from exc
        except requests.RequestException as exc:
            raise _network_error("Twilio", exc) from exc
        except TwilioException as exc:
            raise SendError(f"Twilio client error: {exc}", retryable=True) from exc
        return str(message.sid or "")


class HttpSender:
    """POSTs {"to": "+33...", "text": ...} as JSON to an SMS gateway."""

    def __init__(
        self, url: str, token: str, *, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        self._url = url
        self._timeout = timeout
        self._session = requests.Session()
        self._session.headers["Authorization"] = f"Bearer {token}"

    def send(self, to: str, text: str) -> str:
        """Post the message; return the "id" of the gateway's JSON answer, if any."""
        return self._post({"to": to_e164(to), "text": text}, {})

    def send_keyed(self, to: str, text: str, key: str) -> str:
        """Post the message with `key` in the `Idempotency-Key` header (and as
        "id"): a gateway that honours it delivers a message sent twice once."""
        payload = {"to": to_e164(to), "text": text, "id": key}
        return self._post(payload, {"Idempotency-Key": key})

    def _post(self, payload: dict[str, str], headers: dict[str, str]) -> str:
        try:
            response = self._session.post(
                self._url,
                json=payload,
                headers=headers,
                timeout=self._timeout,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            raise _network_error("the SMS gateway", exc) from exc
        if not 200 <= response.status_code < 300:
            raise SendError(
                f"the SMS gateway answered HTTP {response.status_code}: "
                f"{response.text[:200]}",
                retryable=is_retryable_status(response.status_code),
                credentials_refused=credentials_refused(response.status_code),
            )
        return _message_id(response)


def sender_from_settings(settings: Settings) -> SmsSender:
    """Return the SMS sender chosen by SMS_PROVIDER, or raise ConfigError."""
    provider = settings.sms_provider
    if provider == "console":
        return ConsoleSender()
    if provider == "twilio":
        _require(
            provider,
            TWILIO_ACCOUNT_SID=settings.twilio_account_sid,
            TWILIO_AUTH_TOKEN=settings.twilio_auth_token,
            TWILIO_FROM_NUMBER=settings.twilio_from_number,
        )
        if settings.twilio_api_base_url:
            _check_url("TWILIO_API_BASE_URL", settings.twilio_api_base_url)
        return TwilioSender(
            settings.twilio_account_sid or "",
            settings.twilio_auth_token or "",
            settings.twilio_from_number or "",
            api_base_url=settings.twilio_api_base_url,
        )
    if provider == "http":
        _require(
            provider,
            SMS_HTTP_URL=settings.sms_http_url,
            SMS_HTTP_TOKEN=settings.sms_http_token,
        )
        _check_url("SMS_HTTP_URL", settings.sms_http_url or "")
        return HttpSender(settings.sms_http_url or "", settings.sms_http_token or "")
    raise ConfigError(f"SMS_PROVIDER {provider!r} has no sender")


def senders_from_settings(settings: Settings) -> dict[Channel, MessageSender]:
    """Return the sender of each channel: SMS_PROVIDER's and EMAIL_PROVIDER's, and
    Chatwoot's when CHATWOOT_URL and CHATWOOT_BOT_TOKEN are set."""
    # Imported here: bot.messaging.email and the Chatwoot sender build on this
    # module (SendError).
    from bot.channels.chatwoot_api import ChatwootSender
    from bot.messaging.email import email_sender_from_settings

    senders: dict[Channel, MessageSender] = {
        Channel.SMS: sender_from_settings(settings),
        Channel.EMAIL: email_sender_from_settings(settings),
    }
    if settings.chatwoot_url and settings.chatwoot_bot_token:
        senders[Channel.CHATWOOT] = ChatwootSender(
            settings.chatwoot_url, settings.chatwoot_bot_token
        )
    return senders


def _require(provider: str, **values: str | None) -> None:
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise ConfigError(
            f"SMS_PROVIDER={provider} needs {', '.join(missing)} in the environment"
        )


def _check_url(name: str, url: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(f"{name} must be an http(s) URL, not {url!r}")


def _twilio_sender_id(from_number: str) -> str:
    """A national number becomes E.164; "+1..." or an alphanumeric ID stays as is."""
    national = normalize_phone_number(from_number)
    return "+33" + national[1:] if national else from_number.strip()


def _network_error(provider: str, exc: requests.RequestException) -> SendError:
    return SendError(
        f"could not reach {provider}: {type(exc).__name__}: {exc}",
        retryable=isinstance(exc, _TRANSIENT_ERRORS),
    )


def _message_id(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    if isinstance(body, Mapping):
        return str(body.get("id") or body.get("message_id") or "")
    return ""
