"""Fixtures for the messaging tests: no network but 127.0.0.1, fake providers."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.bot.messaging.fakes import FakeServer, GatewayBehaviour, TwilioBehaviour
from tests.bot.messaging.smtp_fake import SmtpServer

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


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A plain SMTP server on 127.0.0.1 (no STARTTLS, no AUTH)."""
    with SmtpServer() as server:
        yield server


@pytest.fixture
def tls_contexts(tmp_path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A server TLS context (self-signed, for 127.0.0.1) and a client that trusts it."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    address = x509.IPAddress(ipaddress.ip_address("127.0.0.1"))
    cert = (
        x509.CertificateBuilder(issuer_name=name, subject_name=name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([address]), critical=False)
        .sign(key, hashes.SHA256())
    )
    pem = cert.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (tmp_path / "server.pem").write_bytes(key_pem + pem)
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(tmp_path / "server.pem")
    return server, ssl.create_default_context(cadata=pem.decode())
