"""Fixtures for the messaging tests: no network but 127.0.0.1, fake providers."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from tests.bot.messaging.fakes import FakeServer, GatewayBehaviour, TwilioBehaviour

LOOPBACK = {"127.0.0.1", "localhost", "::1", None}
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse name lookups and connections to anything but the loopback address."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in LOOPBACK:
            raise OSError(f"test tried to resolve {host!r}: no network in tests")
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self: socket.socket, address: Any) -> None:
        if isinstance(address, tuple) and address[0] not in LOOPBACK:
            raise OSError(f"test tried to reach {address!r}: no network in tests")
        real_connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.fixture
def fake_twilio() -> Iterator[FakeServer]:
    """A local server answering like Twilio's Messages API."""
    server = FakeServer(respond=TwilioBehaviour()).start()
    yield server
    server.stop()


@pytest.fixture
def fake_gateway() -> Iterator[FakeServer]:
    """A local JSON SMS gateway that wants a bearer token."""
    server = FakeServer(respond=GatewayBehaviour()).start()
    yield server
    server.stop()


@pytest.fixture
def closed_port_url() -> str:
    """The URL of a loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
