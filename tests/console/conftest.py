"""The console app on a test server, a fake gateway, agents and their browsers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from aiohttp import ClientResponse, DummyCookieJar
from aiohttp.test_utils import TestClient, TestServer

from bot.config import Settings, get_settings
from bot.db import session_scope
from bot.handoff import tickets
from bot.handoff.gateway import DeliveryError
from bot.handoff.transcript import Line
from bot.models import Ticket, utcnow
from console.app import create_app
from console.auth import COOKIE
from tests.bot.handoff.conftest import fast_argon2
from tests.bot.handoff.factories import PASSWORD, chat_ticket, make_agent

__all__ = ["fast_argon2"]
ALICE, BOB, SUE, CARL = (
    "alice@example.fr",
    "bob@example.fr",
    "sue@example.fr",
    "carl@example.fr",
)


@dataclass
class FakeGateway:
    """Records what the console asks of the assistant; fails when told to."""

    failing: bool = False
    said: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    ran: list[tuple[str, str]] = field(default_factory=list)

    def say(self, conversation_id: str, text: str, metadata: dict[str, Any]) -> None:
        if self.failing:
            raise DeliveryError("the assistant answered HTTP 500")
        self.said.append((conversation_id, text, metadata))

    def run_action(self, conversation_id: str, action: str) -> None:
        if self.failing:
            raise DeliveryError("the assistant is unreachable (ConnectionError)")
        self.ran.append((conversation_id, action))


@dataclass
class Browser:
    """One agent's browser: its own session cookie and CSRF token."""

    client: TestClient
    cookie: str | None = None
    csrf: str | None = None

    async def login(self, email: str, password: str = PASSWORD) -> ClientResponse:
        answer = await self.client.post(
            "/api/login", json={"email": email, "password": password}
        )
        if answer.status == 200:
            self.cookie = answer.cookies[COOKIE].value
            self.csrf = (await answer.json())["csrf_token"]
        return answer

    def headers(self, csrf: str | None) -> dict[str, str]:
        headers = {"Cookie": f"{COOKIE}={self.cookie}"} if self.cookie else {}
        if csrf:
            headers["X-CSRF-Token"] = csrf
        return headers

    async def get(self, path: str) -> ClientResponse:
        return await self.client.get(path, headers=self.headers(None))

    async def post(
        self, path: str, body: Any = None, *, csrf: str | None = "own"
    ) -> ClientResponse:
        token = self.csrf if csrf == "own" else csrf
        return await self.client.post(
            path, json=body if body is not None else {}, headers=self.headers(token)
        )


@pytest.fixture
def settings(migrated_url: str) -> Settings:
    """The console's settings on the test database."""
    get_settings.cache_clear()
    return Settings(database_url=migrated_url, console_idle_minutes=30)


@pytest.fixture
def gateway() -> FakeGateway:
    return FakeGateway()


@pytest.fixture
def accounts(migrated_url: str, fast_argon2) -> dict[str, int]:
    """Alice and Bob (agents), Sue (supervisor), Carl (disabled): e-mail -> id."""
    with session_scope() as session:
        return {
            ALICE: make_agent(session, ALICE, name="Alice").id,
            BOB: make_agent(session, BOB, name="Bob").id,
            SUE: make_agent(session, SUE, name="Sue", role="supervisor").id,
            CARL: make_agent(session, CARL, name="Carl", active=False).id,
        }


@pytest.fixture
async def client(settings, gateway, accounts) -> AsyncIterator[TestClient]:
    """A client of the console (no cookie jar: each Browser sends its own)."""
    app = create_app(settings, gateway=gateway, tick_seconds=3600)
    async with TestClient(TestServer(app), cookie_jar=DummyCookieJar()) as client:
        yield client


@pytest.fixture
def browser(client) -> Callable[..., Awaitable[Browser]]:
    """Log an agent in, in a browser of their own."""

    async def logged_in(email: str) -> Browser:
        agent = Browser(client)
        answer = await agent.login(email)
        assert answer.status == 200, await answer.text()
        return agent

    return logged_in


@pytest.fixture
def asked_at() -> datetime:
    """When the customer asked for an advisor: a few minutes ago."""
    return utcnow() - timedelta(minutes=5)


@pytest.fixture
def ticket_id(migrated_url, asked_at) -> int:
    """A waiting chat ticket of conversation conv-1, with a short transcript."""
    lines = [
        Line("customer", "je veux un conseiller", asked_at),
        Line("assistant", "Vous êtes en position 1.", asked_at + timedelta(seconds=1)),
    ]
    with session_scope() as session:
        return chat_ticket(session, "conv-1", lines=lines).id


def stored(ticket_id: int) -> Ticket:
    """The ticket as the database holds it now."""
    with session_scope() as session:
        return tickets.find(session, ticket_id)
