"""E-mail senders against a real SMTP server on 127.0.0.1, and the settings."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import io
import ipaddress
import re
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import BinaryIO

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bot.access import redeem_reset_link, request_holder_reset
from bot.config import ConfigError, Settings
from bot.db import session_scope
from bot.messaging import SendError, senders_from_settings
from bot.messaging.dispatcher import DispatchReport, dispatch_pending
from bot.messaging.email import (
    ConsoleEmailSender,
    SmtpEmailSender,
    compose_email,
    email_sender_from_settings,
    split_email,
)
from bot.models import Channel, Holder, MessageStatus
from bot.outbox import enqueue, list_messages

SUBJECT, BODY = "Auchan Télécom : votre lien", "Bonjour,\n\nLe lien : é.\n"
TEXT = compose_email(SUBJECT, BODY)
FROM = "Service Client <no-reply@example.invalid>"
DEFAULT_REPLIES = {"STARTTLS": (220, "go ahead"), "QUIT": (221, "bye")}


@dataclass
class SmtpServer:
    """A tiny SMTP server on 127.0.0.1 that records commands and messages."""

    replies: dict[str, tuple[int, str]] = field(default_factory=dict)  # by verb
    tls: ssl.SSLContext | None = None  # offers STARTTLS when set
    login: tuple[str, str] | None = None  # offers AUTH PLAIN when set
    commands: list[tuple[str, bool]] = field(default_factory=list)  # (line, in TLS)
    messages: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)
    port: int = 0

    def __enter__(self) -> SmtpServer:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._listener.close()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                conn, _ = self._listener.accept()
                threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        code, text = self.replies.get("GREETING", (220, "localhost ESMTP"))
        with conn, contextlib.suppress(OSError):  # e.g. a TLS handshake refused
            conn.sendall(f"{code} {text}\r\n".encode())
            if code == 220:
                self._session(conn)

    def _session(self, conn: socket.socket) -> None:
        reader, in_tls, sender, recipients = conn.makefile("rb"), False, "", []
        while line := reader.readline():
            command = line.decode().rstrip("\r\n")
            verb = command.split(" ", 1)[0].upper()
            self.commands.append((command, in_tls))
            reply = self.replies.get(verb, DEFAULT_REPLIES.get(verb, (250, "ok")))
            if verb == "EHLO":
                offers = ["localhost"] + ["STARTTLS"] * bool(self.tls and not in_tls)
                offers += ["AUTH PLAIN"] * bool(self.login)
                conn.sendall("".join(f"250-{o}\r\n" for o in offers[:-1]).encode())
                reply = (250, offers[-1])
            elif verb == "MAIL" and reply[0] == 250:
                sender, recipients = address_in(command), []
            elif verb == "RCPT" and reply[0] == 250:
                recipients.append(address_in(command))
            elif verb == "AUTH" and verb not in self.replies:
                given = base64.b64decode(command.split()[-1]).decode().split("\0")[1:]
                reply = (235, "ok") if tuple(given) == self.login else (535, "5.7.8 no")
            elif verb == "DATA":
                conn.sendall(b"354 end with <CRLF>.<CRLF>\r\n")
                self.messages.append((sender, recipients, read_message(reader)))
                reply = self.replies.get("DATA_END", (250, "queued"))
            conn.sendall(f"{reply[0]} {reply[1]}\r\n".encode())
            if verb == "QUIT":
                return
            if verb == "STARTTLS" and reply[0] == 220 and self.tls:
                conn = self.tls.wrap_socket(conn, server_side=True)
                reader, in_tls = conn.makefile("rb"), True


def address_in(command: str) -> str:
    """The address of "MAIL FROM:<a@b.fr>" or "RCPT TO:<a@b.fr>"."""
    return command.partition(":")[2].split()[0].strip("<>")


def read_message(reader: BinaryIO) -> EmailMessage:
    """Read DATA up to the lone dot, undo dot-stuffing and parse the message."""
    lines = []
    while (line := reader.readline()) not in (b".\r\n", b""):
        lines.append(line[1:] if line.startswith(b"..") else line)
    raw = b"".join(lines).replace(b"\r\n", b"\n")
    return message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


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


def sender(server: SmtpServer, **options) -> SmtpEmailSender:
    options = {"starttls": False, "timeout": 2} | options
    return SmtpEmailSender("127.0.0.1", server.port, FROM, **options)


def verbs(server: SmtpServer) -> list[str]:
    return [command.split()[0].upper() for command, _ in server.commands]


def test_the_recipient_subject_and_body_arrive(smtp_server):
    message_id = sender(smtp_server).send("client@example.fr", TEXT)
    [(mail_from, recipients, message)] = smtp_server.messages
    assert mail_from == "no-reply@example.invalid"
    assert recipients == ["client@example.fr"] == [message["To"]]
    assert (message["From"], message["Subject"]) == (FROM, SUBJECT)
    assert message.get_content() == BODY
    assert message["Message-ID"] == message_id
    assert "AUTH" not in verbs(smtp_server)


def test_the_sender_logs_in_after_starttls(tls_contexts):
    server_context, client_context = tls_contexts
    login = {"username": "relay", "password": "s3cret"}
    with SmtpServer(tls=server_context, login=("relay", "s3cret")) as server:
        sender(server, starttls=True, ssl_context=client_context, **login).send(
            "client@example.fr", TEXT
        )
    assert len(server.messages) == 1
    in_tls = {command.split()[0].upper(): tls for command, tls in server.commands}
    assert in_tls["STARTTLS"] is False
    assert in_tls["AUTH"] is in_tls["MAIL"] is in_tls["DATA"] is True


@pytest.mark.parametrize("offers_tls", [True, False])
def test_no_starttls_or_an_untrusted_certificate_stops_for_good(
    tls_contexts, offers_tls
):
    server_context = tls_contexts[0] if offers_tls else None
    with SmtpServer(tls=server_context) as server, pytest.raises(SendError) as error:
        sender(server, starttls=True).send("client@example.fr", TEXT)
    assert error.value.retryable is False
    assert "MAIL" not in verbs(server)  # nothing said in clear


@pytest.mark.parametrize(
    ("replies", "retryable"),
    [
        ({"RCPT": (550, "5.1.1 no such user")}, False),
        ({"RCPT": (450, "4.2.1 mailbox busy")}, True),
        ({"MAIL": (552, "5.3.4 too big")}, False),
        ({"DATA_END": (554, "5.7.1 rejected as spam")}, False),
        ({"DATA_END": (451, "4.3.0 try later")}, True),
        ({"GREETING": (421, "4.3.2 too busy")}, True),
        ({"GREETING": (554, "5.7.1 go away")}, False),
        ({"AUTH": (535, "5.7.8 bad login")}, False),
        ({"AUTH": (454, "4.7.0 try later")}, True),
    ],
)
def test_4xx_answers_are_retried_and_5xx_are_not(replies, retryable):
    login = {"username": "relay", "password": "s3cret"}
    with SmtpServer(replies=replies, login=("relay", "s3cret")) as server:
        with pytest.raises(SendError) as error:
            sender(server, **login).send("client@example.fr", TEXT)
    assert error.value.retryable is retryable
    assert str(next(iter(replies.values()))[0]) in str(error.value)


def test_a_failed_quit_after_acceptance_still_counts_as_sent():
    with SmtpServer(replies={"QUIT": (500, "oops")}) as server:
        assert sender(server).send("client@example.fr", TEXT)
    assert len(server.messages) == 1


def test_an_unreachable_or_silent_relay_is_worth_a_retry():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    with pytest.raises(SendError) as refused:
        SmtpEmailSender("127.0.0.1", closed, FROM, starttls=False).send("a@b.fr", TEXT)
    with socket.create_server(("127.0.0.1", 0)) as silent:  # never says hello
        port = silent.getsockname()[1]
        with pytest.raises(SendError) as timed_out:
            SmtpEmailSender("127.0.0.1", port, FROM, timeout=0.3).send("a@b.fr", TEXT)
    assert refused.value.retryable is timed_out.value.retryable is True


@pytest.mark.parametrize("to", ["client", "a@b", "a@b.fr\r\nBcc: x@y.fr", "<a@b.fr>"])
def test_a_bad_recipient_is_refused_without_connecting(smtp_server, to):
    with pytest.raises(SendError) as error:
        sender(smtp_server).send(to, TEXT)
    assert error.value.retryable is False
    assert smtp_server.commands == []  # not even connected


def test_the_outbox_text_splits_into_subject_and_body():
    assert split_email(TEXT) == (SUBJECT, BODY)
    with pytest.raises(ValueError):
        compose_email("two\nlines", "body")
    for text in ("no subject\n\nbody", "Subject: x\nbody", "Subject: x\ny\n\nbody"):
        with pytest.raises(SendError) as error:
            split_email(text)
        assert error.value.retryable is False


def test_the_console_sender_writes_recipient_subject_and_body():
    stream = io.StringIO()
    assert ConsoleEmailSender(stream).send("a@b.fr", TEXT).startswith("console-")
    assert stream.getvalue() == f"E-mail to a@b.fr\n{TEXT}\n"


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (Settings(), ConsoleEmailSender),
        (Settings(email_provider="smtp", smtp_host="smtp.example.fr"), SmtpEmailSender),
        (Settings(email_provider="smtp"), "EMAIL_PROVIDER=smtp needs SMTP_HOST"),
        (
            Settings(email_provider="smtp", smtp_host="h", smtp_username="u"),
            "SMTP_USERNAME needs SMTP_PASSWORD",
        ),
    ],
)
def test_email_provider_chooses_the_email_sender(settings, expected):
    if isinstance(expected, str):
        with pytest.raises(ConfigError, match=expected):
            senders_from_settings(settings)
    else:
        assert isinstance(email_sender_from_settings(settings), expected)
        assert isinstance(senders_from_settings(settings)[Channel.EMAIL], expected)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, {"email_provider": "console", "smtp_port": 587, "smtp_starttls": True}),
        ({"SMTP_STARTTLS": "0"}, {"smtp_starttls": False}),
        ({"SMTP_STARTTLS": "TRUE"}, {"smtp_starttls": True}),
        ({"EMAIL_PROVIDER": " SMTP ", "SMTP_HOST": "h"}, {"email_provider": "smtp"}),
        ({"SMTP_PORT": "2525", "SMTP_STARTTLS": "false"}, {"smtp_port": 2525}),
        ({"SMTP_USERNAME": "u", "SMTP_PASSWORD": "p"}, {"smtp_password": "p"}),
        ({"EMAIL_FROM": "Mobi <a@mobi.fr>"}, {"email_from": "Mobi <a@mobi.fr>"}),
    ],
)
def test_email_settings_are_read_from_the_environment(env, expected):
    settings = Settings.from_env(env)
    assert {name: getattr(settings, name) for name in expected} == expected


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("EMAIL_PROVIDER", "sendgrid"),
        ("SMTP_PORT", "smtp"),
        ("SMTP_PORT", "0"),
        ("SMTP_PORT", "70000"),
        ("SMTP_STARTTLS", "maybe"),
        ("EMAIL_FROM", "Service Client"),
    ],
)
def test_a_bad_email_setting_is_a_configuration_error(name, raw):
    with pytest.raises(ConfigError, match=name):
        Settings.from_env({name: raw})


def test_the_dispatcher_sends_outbox_emails_through_smtp(smtp_server, migrated_url):
    smtp = {"smtp_host": "127.0.0.1", "smtp_port": smtp_server.port}
    settings = Settings(
        database_url=migrated_url,
        email_provider="smtp",
        smtp_starttls=False,
        secret_key="test",
        **smtp,
    )
    with session_scope(settings) as session:
        session.add(Holder(id="C1", first_name="M", last_name="D", email="m@d.fr"))
        request_holder_reset(
            session, email="m@d.fr", settings=settings, conversation_id="c"
        )
    report = dispatch_pending(
        settings=settings, senders=senders_from_settings(settings)
    )
    assert report == DispatchReport(sent=1)
    [(_, recipients, message)] = smtp_server.messages
    assert recipients == ["m@d.fr"]
    [token] = re.findall(r"\?token=(\S+)", message.get_content())
    with session_scope(settings) as session:
        assert redeem_reset_link(session, token=token, settings=settings) == (
            "holder",
            "C1",
        )
        enqueue(session, channel="email", to="parti@example.fr", text=TEXT)
    smtp_server.replies["RCPT"] = (550, "5.1.1 no such user")
    report = dispatch_pending(
        settings=settings, senders=senders_from_settings(settings)
    )
    assert report == DispatchReport(failed=1)
    with session_scope(settings) as session:
        statuses = [message.status for message in list_messages(session)]
    assert statuses == [MessageStatus.SENT, MessageStatus.FAILED]
