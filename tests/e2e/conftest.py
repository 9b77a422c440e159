"""Real servers for the whole end-to-end session, on a seeded SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import DEFAULT_FIXTURE, PROJECT_ROOT
from scripts.servers import MODEL, Servers

TODAY = "2026-11-26"
MORE_ORDERS = Path(__file__).parent / "fixtures" / "more_orders.yml"
CUSTOMER_AREA = "https://espace-client.test"
OPERATOR = "Opérateur Test"


@pytest.fixture(scope="session")
def e2e_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment of the servers: a fresh database, a pinned today, a test operator."""
    workdir = tmp_path_factory.mktemp("e2e")
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{workdir / 'bot.db'}",
        BOT_TODAY=TODAY,
        BOT_OPERATOR_NAME=OPERATOR,
        PYTHONPATH=str(PROJECT_ROOT),
        RASA_TELEMETRY_ENABLED="false",
        E2E_WORKDIR=str(workdir),
        CUSTOMER_AREA_URL=CUSTOMER_AREA,
        BOT_SECRET_KEY="e2e-secret",
        SUPPORT_HOURS="always",
        # Short, so that a test can see the callback offer; long enough for the
        # other tests to claim their tickets first.
        HANDOFF_CLAIM_TIMEOUT_MINUTES="0.25",
    )
    return env


@pytest.fixture(scope="session")
def servers(e2e_env: dict[str, str]) -> Iterator[Servers]:
    """The action server and the Rasa server, started once and stopped at the end."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` first")
    for fixture in (DEFAULT_FIXTURE, MORE_ORDERS):
        subprocess.run(
            [sys.executable, "-m", "bot", "seed", "--file", str(fixture)],
            cwd=PROJECT_ROOT,
            env=e2e_env,
            check=True,
        )
    running = Servers(
        workdir=Path(e2e_env["E2E_WORKDIR"]), env=e2e_env, with_console=True
    )
    running.start()
    yield running
    running.stop()


def post_json(url: str, payload: object, headers: dict | None = None) -> object:
    """POST a JSON body and return the decoded JSON answer."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read().decode())


def get_json(url: str, headers: dict | None = None) -> object:
    """GET a URL and return the decoded JSON answer."""
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read().decode())


class Conversation:
    """A customer talking to the assistant over the REST channel."""

    def __init__(self, servers: Servers) -> None:
        self.url = f"{servers.rasa_url}/webhooks/rest/webhook"
        self.sender = f"e2e-{uuid.uuid4().hex[:10]}"

    def say(self, text: str) -> list[dict]:
        """Send one message and return the bot's replies."""
        replies = post_json(self.url, {"sender": self.sender, "message": text})
        assert isinstance(replies, list)
        return replies


@pytest.fixture
def conversation(servers: Servers) -> Conversation:
    """A new conversation (new sender id) for each test."""
    return Conversation(servers)
