"""Local stand-ins for the Telegram Bot API and the Graph API, and real payloads."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

from twilio.request_validator import RequestValidator

from tests.bot.messaging.fakes import Answer, Request

TELEGRAM_TOKEN = "123456:test-bot-token"
TELEGRAM_SECRET = "test-secret_token-1"
PAGE_TOKEN = "test-page-access-token"
APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"
GRAPH_VERSION = "/v20.0"
OUR_NUMBER = "+33700000000"
WHATSAPP_SENDER = "whatsapp:+14155238886"
PAGE_ID = "106000000000001"


@dataclass
class TelegramBehaviour:
    """Answers like the Bot API for our token: {"ok": true, "result": ...}."""

    token: str = TELEGRAM_TOKEN
    sent: int = 0

    def __call__(self, request: Request) -> Answer:
        prefix = f"/bot{self.token}/"
        if not request.path.startswith(prefix):
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        method = request.path[len(prefix) :]
        if method == "sendMessage":
            self.sent += 1
            body = request.json
            assert isinstance(body, dict)
            return 200, {
                "ok": True,
                "result": {
                    "message_id": self.sent,
                    "chat": {"id": body["chat_id"], "type": "private"},
                    "date": 1764150000,
                    "text": body["text"],
                },
            }
        return 200, {"ok": True, "result": True}


@dataclass
class GraphBehaviour:
    """Answers like the Send API for our page token."""

    token: str = PAGE_TOKEN
    sent: int = 0
    failures: list[Answer] = field(default_factory=list)

    def __call__(self, request: Request) -> Answer:
        if request.path != f"{GRAPH_VERSION}/me/messages":
            return 404, {"error": {"message": "Unknown path", "code": 803}}
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return 401, {"error": {"message": "Invalid access token", "code": 190}}
        if self.failures:
            return self.failures.pop(0)
        self.sent += 1
        body = request.json
        assert isinstance(body, dict)
        return 200, {
            "recipient_id": body["recipient"]["id"],
            "message_id": f"m_sent{self.sent}",
        }


def twilio_sms_form(
    sid: str, sender: str, body: str | None, to: str = OUR_NUMBER
) -> dict[str, str]:
    """The form Twilio posts for an incoming SMS (empty fields included)."""
    form = {
        "ToCountry": "FR",
        "ToState": "",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ToCity": "",
        "FromZip": "",
        "SmsSid": sid,
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "FromCountry": "FR",
        "To": to,
        "ToZip": "",
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": sender,
        "ApiVersion": "2010-04-01",
    }
    if body is not None:
        form["Body"] = body
    return form


def twilio_whatsapp_form(sid: str, sender: str, body: str) -> dict[str, str]:
    """The form Twilio posts for an incoming WhatsApp message."""
    return {
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ProfileName": "Marie",
        "MessageType": "text",
        "SmsSid": sid,
        "WaId": sender.removeprefix("whatsapp:+"),
        "SmsStatus": "received",
        "Body": body,
        "To": WHATSAPP_SENDER,
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": sender,
        "ApiVersion": "2010-04-01",
    }


def twilio_signature(token: str, url: str, form: dict[str, str]) -> str:
    """X-Twilio-Signature as Twilio computes it."""
    return RequestValidator(token).compute_signature(url, form)


def telegram_message(update_id: int, chat_id: int, text: str) -> dict:
    """A Bot API update: a text in a private chat."""
    user = {"id": chat_id, "is_bot": False, "first_name": "Marie"}
    message = {
        "message_id": update_id,
        "from": {**user, "language_code": "fr"},
        "chat": {"id": chat_id, "first_name": "Marie", "type": "private"},
        "date": 1764150000,
        "text": text,
    }
    if text.startswith("/"):
        length = len(text.split()[0])
        message["entities"] = [{"offset": 0, "length": length, "type": "bot_command"}]
    return {"update_id": update_id, "message": message}


def telegram_callback(update_id: int, chat_id: int, data: str) -> dict:
    """A Bot API update: a tap on an inline keyboard button."""
    chat = {"id": chat_id, "first_name": "Marie", "type": "private"}
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"4382{update_id}",
            "from": {"id": chat_id, "is_bot": False, "first_name": "Marie"},
            "message": {
                "message_id": 7,
                "from": {"id": 123456, "is_bot": True, "first_name": "Assistant"},
                "chat": chat,
                "date": 1764150000,
                "text": "Que puis-je faire pour vous ?",
            },
            "chat_instance": "-3001",
            "data": data,
        },
    }


def messenger_event(psid: str, mid: str, text: str, quick_reply: str | None = None):
    """A page webhook with one customer message (or quick reply)."""
    message: dict = {"mid": mid, "text": text}
    if quick_reply is not None:
        message["quick_reply"] = {"payload": quick_reply}
    return _page(
        {
            "sender": {"id": psid},
            "recipient": {"id": PAGE_ID},
            "timestamp": 1764150000123,
            "message": message,
        }
    )


def messenger_postback(psid: str, payload: str, timestamp: int = 1764150000456):
    """A page webhook with one postback (a button of a template or the menu)."""
    return _page(
        {
            "sender": {"id": psid},
            "recipient": {"id": PAGE_ID},
            "timestamp": timestamp,
            "postback": {"title": "Démarrer", "payload": payload},
        }
    )


def _page(*events: dict) -> dict:
    return {
        "object": "page",
        "entry": [{"id": PAGE_ID, "time": 1764150000200, "messaging": list(events)}],
    }


def hub_signature_256(secret: str, body: bytes) -> str:
    """X-Hub-Signature-256 as Meta computes it."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def hub_signature_sha1(secret: str, body: bytes) -> str:
    """The old X-Hub-Signature (SHA-1) that Rasa's own connector checks."""
    return "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()
