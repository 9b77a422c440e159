"""The Rasa HTTP API gateway, against a local server posing as Rasa."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest

from bot.config import Settings
from bot.handoff.gateway import DeliveryError, RasaGateway, api_token
from tests.bot.messaging.fakes import Answer, FakeServer, Request

SECRET = "a-rasa-jwt-secret-of-at-least-32-bytes"


@dataclass
class RasaBehaviour:
    """Answers 200 like Rasa's API, or `status` when told to fail."""

    status: int = 200

    def __call__(self, request: Request) -> Answer:
        return self.status, {"ok": self.status < 300}


@pytest.fixture
def rasa() -> Iterator[FakeServer]:
    server = FakeServer(respond=RasaBehaviour()).start()
    yield server
    server.stop()


def split(request: Request) -> tuple[str, dict[str, list[str]]]:
    parts = urlsplit(request.path)
    return parts.path, parse_qs(parts.query)


def claims(request: Request) -> dict:
    scheme, _, token = request.headers["authorization"].partition(" ")
    assert scheme == "Bearer"
    return jwt.decode(token, SECRET, algorithms=["HS256"])


def test_the_token_is_a_short_lived_admin_jwt_signed_with_the_secret():
    before = int(time.time())
    token = api_token(SECRET)
    decoded = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert decoded["user"] == {"username": "agent-console", "role": "admin"}
    assert before <= decoded["iat"] <= time.time()
    assert decoded["exp"] - decoded["iat"] == 300
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, "another-secret-of-at-least-32-bytes", algorithms=["HS256"])


def test_an_expired_token_is_refused():
    token = api_token(SECRET, lifetime=-10)
    with pytest.raises(jwt.ExpiredSignatureError):
        jwt.decode(token, SECRET, algorithms=["HS256"])


def test_saying_appends_a_bot_event_sent_on_the_latest_channel(rasa):
    metadata = {"handoff": {"ticket": 4, "agent": "Alice"}}
    RasaGateway(rasa.url + "/", SECRET).say("conv-1", "Alice : bonjour", metadata)
    (request,) = rasa.requests
    assert split(request) == (
        "/conversations/conv-1/tracker/events",
        {"output_channel": ["latest"], "execute_side_effects": ["true"]},
    )
    assert request.json == [
        {"event": "bot", "text": "Alice : bonjour", "metadata": metadata}
    ]
    assert claims(request)["user"]["role"] == "admin"


def test_running_an_action_executes_it_then_listens(rasa):
    RasaGateway(rasa.url, SECRET).run_action("conv-1", "action_agent_joined")
    execute, listen = rasa.requests
    assert split(execute) == (
        "/conversations/conv-1/execute",
        {"output_channel": ["latest"], "execute_side_effects": ["true"]},
    )
    assert execute.json == {"name": "action_agent_joined"}
    assert split(listen)[0] == "/conversations/conv-1/tracker/events"
    assert listen.json == [{"event": "action", "name": "action_listen"}]
    assert claims(execute)["user"]["username"] == "agent-console"


@pytest.mark.parametrize(
    ("conversation", "in_path"),
    [
        # Rasa does not decode escapes in the id: what a path allows stays as it is.
        ("whatsapp:+33612345678", "whatsapp:+33612345678"),
        ("+33612345678", "+33612345678"),
        # What would end the path or be refused is escaped.
        ("a b?c#d%", "a%20b%3Fc%23d%25"),
    ],
)
def test_a_conversation_id_is_escaped_only_where_a_path_needs_it(
    rasa, conversation, in_path
):
    RasaGateway(rasa.url, SECRET).run_action(conversation, "action_agent_joined")
    assert [split(request)[0] for request in rasa.requests] == [
        f"/conversations/{in_path}/execute",
        f"/conversations/{in_path}/tracker/events",
    ]


@pytest.mark.parametrize("status", [500, 401, 404])
def test_an_error_answer_is_a_delivery_error(rasa, status):
    rasa.respond = RasaBehaviour(status)
    gateway = RasaGateway(rasa.url, SECRET)
    with pytest.raises(DeliveryError, match=f"HTTP {status}"):
        gateway.say("conv-1", "bonjour", {})
    with pytest.raises(DeliveryError, match=f"HTTP {status}"):
        gateway.run_action("conv-1", "action_handoff_ended")
    assert len(rasa.requests) == 2  # no action_listen after a failed execute


def test_a_closed_port_is_a_delivery_error(closed_port_url):
    gateway = RasaGateway(closed_port_url, SECRET)
    with pytest.raises(DeliveryError, match="unreachable"):
        gateway.say("conv-1", "bonjour", {})
    with pytest.raises(DeliveryError, match="unreachable"):
        gateway.run_action("conv-1", "action_agent_joined")


def test_the_gateway_needs_the_jwt_secret(rasa):
    with pytest.raises(DeliveryError, match="RASA_JWT_SECRET"):
        RasaGateway.from_settings(Settings(rasa_api_url=rasa.url))
    gateway = RasaGateway.from_settings(
        Settings(rasa_api_url=rasa.url, rasa_jwt_secret=SECRET)
    )
    gateway.say("conv-1", "bonjour", {})
    assert claims(rasa.requests[0])["user"]["role"] == "admin"
