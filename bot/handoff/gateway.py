"""Reach a customer's conversation from outside it: Rasa's HTTP API, with a JWT.

An agent's reply becomes a bot message of the conversation, sent on the channel the
customer last wrote from (`output_channel=latest`): the widget's socket, SMS,
WhatsApp, Telegram or Messenger. What the assistant itself says (an agent joined,
the conversation is handed back, a callback is offered) is one of its actions, run
in the conversation. Rasa must be started with
`--jwt-secret` equal to RASA_JWT_SECRET (`make run` does it).
"""

from __future__ import annotations

import time
from typing import Any, Protocol
from urllib.parse import quote

import jwt
import requests

from bot.config import Settings

TIMEOUT = 10  # seconds: the agent waits for this answer in the console
# Rasa (Sanic) does not decode percent-escapes in the conversation id of a path:
# keep every character a URL path allows as it is ("+33…", "whatsapp:+33…").
PATH_SAFE = "/+:@!$&'()*,;=-._~"
TOKEN_LIFETIME = 300


def api_token(secret: str, lifetime: int = TOKEN_LIFETIME) -> str:
    """A short-lived JWT that Rasa's HTTP API accepts as an administrator's."""
    now = int(time.time())
    claims = {
        "user": {"username": "agent-console", "role": "admin"},
        "iat": now,
        "exp": now + lifetime,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


class DeliveryError(Exception):
    """The conversation could not be reached (the message says why)."""


class ConversationGateway(Protocol):
    """What the console needs from the assistant's side."""

    def say(self, conversation_id: str, text: str, metadata: dict[str, Any]) -> None:
        """Send `text` to the customer as a message of the conversation."""
        ...

    def run_action(self, conversation_id: str, action: str) -> None:
        """Run one of the assistant's actions in the conversation."""
        ...


class RasaGateway:
    """ConversationGateway over Rasa's HTTP API."""

    def __init__(self, base_url: str, jwt_secret: str) -> None:
        self._base = base_url.rstrip("/")
        self._secret = jwt_secret
        self._http = requests.Session()

    @classmethod
    def from_settings(cls, settings: Settings) -> RasaGateway:
        """Build the gateway from RASA_API_URL and RASA_JWT_SECRET."""
        if not settings.rasa_jwt_secret:
            raise DeliveryError("RASA_JWT_SECRET is not set")
        return cls(settings.rasa_api_url, settings.rasa_jwt_secret)

    def _post(self, path: str, body: Any) -> None:
        url = f"{self._base}{path}"
        try:
            answer = self._http.post(
                url,
                json=body,
                params={"output_channel": "latest", "execute_side_effects": "true"},
                headers={"Authorization": f"Bearer {api_token(self._secret)}"},
                timeout=TIMEOUT,
            )
        except requests.RequestException as exc:
            problem = f"the assistant is unreachable ({type(exc).__name__})"
            raise DeliveryError(problem) from exc
        if answer.status_code >= 300:
            raise DeliveryError(f"the assistant answered HTTP {answer.status_code}")

    def _events(self, conversation_id: str, events: list[dict[str, Any]]) -> None:
        path = f"/conversations/{quote(conversation_id, safe=PATH_SAFE)}/tracker/events"
        self._post(path, events)

    def say(self, conversation_id: str, text: str, metadata: dict[str, Any]) -> None:
        """Append a bot message and send it through the customer's channel."""
        self._events(
            conversation_id, [{"event": "bot", "text": text, "metadata": metadata}]
        )

    def run_action(self, conversation_id: str, action: str) -> None:
        """Execute `action` in the conversation (its messages reach the customer),
        then listen, as after a turn: the customer's answer follows the action."""
        self._post(
            f"/conversations/{quote(conversation_id, safe=PATH_SAFE)}/execute",
            {"name": action},
        )
        self._events(conversation_id, [{"event": "action", "name": "action_listen"}])
