"""A real Rasa server with our connectors, and local fakes of the providers' APIs.

Nothing leaves the machine: the connectors call the fakes on 127.0.0.1, and the
servers' proxy settings point at a closed local port for anything else.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.config import DEFAULT_FIXTURE, PROJECT_ROOT
from channels.credentials import channel_credentials, render
from scripts.servers import MODEL, Servers
from tests.bot.messaging.fakes import (
    TWILIO_SID,
    TWILIO_TOKEN,
    FakeServer,
    TwilioBehaviour,
)
from tests.channels.e2e import fake_chatwoot
from tests.channels.e2e.fake_chatwoot import FakeChatwoot
from tests.channels.fakes import (
    APP_SECRET,
    GRAPH_VERSION,
    OUR_NUMBER,
    PAGE_TOKEN,
    TELEGRAM_SECRET,
    TELEGRAM_TOKEN,
    VERIFY_TOKEN,
    WHATSAPP_SENDER,
    GraphBehaviour,
    TelegramBehaviour,
)
from tests.e2e.conftest import OPERATOR, TODAY

PUBLIC_BASE_URL = "https://bot.example.test"
TELEGRAM_WEBHOOK_URL = f"{PUBLIC_BASE_URL}/webhooks/telegram_secret/webhook"
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


@dataclass
class Fakes:
    """The providers' APIs, each a local server recording what it receives."""

    twilio: FakeServer
    telegram: FakeServer
    graph: FakeServer
    chatwoot: FakeChatwoot


@dataclass
class ChannelServers(Servers):
    """The e2e servers, with Rasa reading the credentials file given here."""

    credentials: Path = Path("credentials.yml")

    def _spawn(self, command: list[str], log: Path) -> None:
        if "--credentials" in command:
            at = command.index("--credentials") + 1
            command = [*command[:at], str(self.credentials), *command[at + 1 :]]
        super()._spawn(command, log)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def fakes() -> Iterator[Fakes]:
    """Fake Twilio REST, Telegram Bot API, Graph API and Chatwoot, for the session."""
    started = Fakes(
        twilio=FakeServer(respond=TwilioBehaviour()).start(),
        telegram=FakeServer(respond=TelegramBehaviour()).start(),
        graph=FakeServer(respond=GraphBehaviour()).start(),
        chatwoot=FakeChatwoot().start(),
    )
    yield started
    for server in (started.twilio, started.telegram, started.graph):
        server.stop()
    started.chatwoot.stop()


@pytest.fixture(scope="session")
def channel_env(
    tmp_path_factory: pytest.TempPathFactory, fakes: Fakes
) -> dict[str, str]:
    """The servers' environment: a fresh database and every channel's secrets."""
    workdir = tmp_path_factory.mktemp("channels")
    env = {
        key: value
        for key, value in os.environ.items()
        if key.upper() not in PROXY_VARIABLES
    }
    dead_proxy = f"http://127.0.0.1:{_closed_port()}"
    env.update(
        DATABASE_URL=f"sqlite:///{workdir / 'bot.db'}",
        BOT_TODAY=TODAY,
        BOT_OPERATOR_NAME=OPERATOR,
        BOT_SECRET_KEY="channels-secret",
        PYTHONPATH=str(PROJECT_ROOT),
        RASA_TELEMETRY_ENABLED="false",
        SUPPORT_HOURS="always",
        CHANNELS_WORKDIR=str(workdir),
        HTTP_PROXY=dead_proxy,
        HTTPS_PROXY=dead_proxy,
        NO_PROXY="127.0.0.1,localhost",
        TWILIO_ACCOUNT_SID=TWILIO_SID,
        TWILIO_AUTH_TOKEN=TWILIO_TOKEN,
        TWILIO_FROM_NUMBER=OUR_NUMBER,
        TWILIO_WHATSAPP_FROM=WHATSAPP_SENDER,
        TWILIO_WEBHOOK_BASE_URL=PUBLIC_BASE_URL,
        TWILIO_API_BASE_URL=fakes.twilio.url,
        TELEGRAM_BOT_TOKEN=TELEGRAM_TOKEN,
        TELEGRAM_SECRET_TOKEN=TELEGRAM_SECRET,
        TELEGRAM_WEBHOOK_URL=TELEGRAM_WEBHOOK_URL,
        TELEGRAM_API_BASE_URL=fakes.telegram.url,
        MESSENGER_PAGE_ACCESS_TOKEN=PAGE_TOKEN,
        MESSENGER_APP_SECRET=APP_SECRET,
        MESSENGER_VERIFY_TOKEN=VERIFY_TOKEN,
        MESSENGER_API_BASE_URL=fakes.graph.url + GRAPH_VERSION,
        CHATWOOT_URL=fakes.chatwoot.url,
        CHATWOOT_ACCOUNT_ID=str(fake_chatwoot.ACCOUNT_ID),
        CHATWOOT_BOT_TOKEN=fake_chatwoot.BOT_TOKEN,
        CHATWOOT_WEBHOOK_SECRET=fake_chatwoot.WEBHOOK_SECRET,
    )
    return env


@pytest.fixture(scope="session")
def servers(channel_env: dict[str, str]) -> Iterator[ChannelServers]:
    """The action server and a Rasa server with the four connectors on."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` first")
    subprocess.run(
        [sys.executable, "-m", "bot", "seed", "--file", str(DEFAULT_FIXTURE)],
        cwd=PROJECT_ROOT,
        env=channel_env,
        check=True,
        capture_output=True,
    )
    workdir = Path(channel_env["CHANNELS_WORKDIR"])
    credentials = workdir / "credentials.yml"
    credentials.write_text(render(channel_credentials(channel_env)))
    running = ChannelServers(
        workdir=workdir, env=channel_env, credentials=credentials, with_console=True
    )
    running.start()
    yield running
    running.stop()


@dataclass
class Answer:
    """A webhook's HTTP answer."""

    status: int
    body: str


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST to a webhook and return its status and body, errors included."""
    return call(urllib.request.Request(url, data=body, headers=headers))


def call(request: urllib.request.Request) -> Answer:
    """Make a request and return its status and body, errors included."""
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return Answer(response.status, response.read().decode())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read().decode())
