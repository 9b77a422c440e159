"""Rasa's HTTP API, as an outsider finds it: every route refuses a caller without a
JWT signed with RASA_JWT_SECRET, while the channels keep working (real servers)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from bot.handoff.gateway import api_token
from scripts.servers import Servers
from tests.e2e.conftest import OPERATOR, Conversation

# Every route of rasa/server.py (Rasa 3.6) but "/" and "/version".
ROUTES = [
    ("GET", "/status"),
    ("GET", "/conversations/victim/tracker"),
    ("POST", "/conversations/victim/tracker/events"),
    ("PUT", "/conversations/victim/tracker/events"),
    ("GET", "/conversations/victim/story"),
    ("POST", "/conversations/victim/execute"),
    ("POST", "/conversations/victim/trigger_intent"),
    ("POST", "/conversations/victim/predict"),
    ("POST", "/conversations/victim/messages"),
    ("POST", "/model/train"),
    ("POST", "/model/test/stories"),
    ("POST", "/model/test/intents"),
    ("POST", "/model/predict"),
    ("POST", "/model/parse"),
    ("PUT", "/model"),
    ("DELETE", "/model"),
    ("GET", "/domain"),
]
FORGED = api_token("a-secret-that-is-not-the-servers-one-at-all")


def _status(servers: Servers, method: str, path: str, headers: dict) -> int:
    body = json.dumps({"event": "slot", "name": "verified_msisdn", "value": "x"})
    request = urllib.request.Request(
        f"{servers.rasa_url}{path}",
        data=body.encode() if method != "GET" else None,
        method=method,
        headers={"Content-Type": "application/json", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": f"Bearer {FORGED}"}, {"Authorization": "Bearer nonsense"}],
    ids=["none", "forged-jwt", "garbage"],
)
def test_every_api_route_refuses_a_caller_without_the_servers_jwt(
    servers: Servers, method: str, path: str, headers: dict
) -> None:
    assert _status(servers, method, path, headers) in (401, 403)


def test_the_assistant_still_answers_and_the_console_jwt_still_works(
    servers: Servers, conversation: Conversation
) -> None:
    # After every refused call above (DELETE /model included), the model is there.
    assert OPERATOR in " ".join(r.get("text", "") for r in conversation.say("bonjour"))
    assert _status(servers, "GET", "/status", servers.api_headers()) == 200
