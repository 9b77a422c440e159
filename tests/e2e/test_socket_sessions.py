"""The widget's socket.io sessions over real servers: a conversation cannot be
joined with the id that logs, trackers and tickets show, nor by naming another
session in a message."""

from __future__ import annotations

import asyncio

import socketio

from channels.socketio_shared import conversation_id_for
from tests.e2e.conftest import get_json


class Widget:
    """A socket.io client that talks like the widget."""

    def __init__(self) -> None:
        self.client = socketio.AsyncClient()
        self.received: list[str] = []
        self.token: str | None = None
        self.client.on("bot_uttered", self._bot)
        self.client.on("session_confirm", self._confirmed)

    async def _bot(self, data: dict) -> None:
        self.received.append(data.get("text", ""))

    async def _confirmed(self, token: str) -> None:
        self.token = token

    async def start(self, url: str, asked: str | None = None) -> str:
        await self.client.connect(
            url, socketio_path="/socket.io/", transports=["polling"]
        )
        await self.client.emit("session_request", {"session_id": asked})
        await _until(lambda: self.token is not None)
        return self.token or ""

    async def say(self, text: str, session_id: str | None = None) -> None:
        await self.client.emit(
            "user_uttered", {"message": text, "session_id": session_id or self.token}
        )


async def _until(condition, timeout: float = 20) -> None:
    for _ in range(int(timeout * 20)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("not in time")


def _user_texts(servers, conversation: str) -> list[str]:
    tracker = get_json(
        f"{servers.rasa_url}/conversations/{conversation}/tracker",
        headers=servers.api_headers(),
    )
    return [e["text"] for e in tracker["events"] if e["event"] == "user"]


async def test_a_session_cannot_be_joined_with_its_visible_id(servers, e2e_env):
    secret = e2e_env["BOT_SECRET_KEY"].encode()
    customer, outsider = Widget(), Widget()
    try:
        token = await customer.start(servers.rasa_url)
        await customer.say("bonjour")
        await _until(lambda: any("Bonjour" in text for text in customer.received))
        conversation = conversation_id_for(token, secret)
        assert _user_texts(servers, conversation) == ["bonjour"]

        # The id of the conversation (what logs and tickets show) is no key to it,
        outsider_token = await outsider.start(servers.rasa_url, asked=conversation)
        assert conversation_id_for(outsider_token, secret) != conversation
        # and naming the customer's token in a message does not move the outsider.
        await outsider.say("je veux changer la date de ma portabilité", token)
        await _until(lambda: outsider.received)
        assert _user_texts(servers, conversation) == ["bonjour"]
        own = conversation_id_for(outsider_token, secret)
        asked = "je veux changer la date de ma portabilité"
        assert _user_texts(servers, own) == [asked]
        assert not any("numéro de mobile" in text for text in customer.received)
    finally:
        await customer.client.disconnect()
        await outsider.client.disconnect()


async def test_the_widget_keeps_its_conversation_across_reconnections(servers, e2e_env):
    secret = e2e_env["BOT_SECRET_KEY"].encode()
    first, again = Widget(), Widget()
    try:
        token = await first.start(servers.rasa_url)
        await first.say("bonjour")
        await _until(lambda: first.received)
        await first.client.disconnect()
        # A reload: the widget asks for the session it kept.
        assert await again.start(servers.rasa_url, asked=token) == token
        await again.say("merci")
        await _until(lambda: again.received)
        assert _user_texts(servers, conversation_id_for(token, secret)) == [
            "bonjour",
            "merci",
        ]
    finally:
        await again.client.disconnect()
