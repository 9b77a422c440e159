"""E-mail senders against a real SMTP server on 127.0.0.1, and the settings."""

from __future__ import annotations

import io
import re
import socket

import pytest

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
from tests.bot.messaging.smtp_fake import SmtpServer

SUBJECT, BODY = "Auchan Télécom : votre lien", "Bonjour,\n\nLe lien : é.\n"
TEXT = compose_email(SUBJECT, BODY)
FROM = "Service Client <no-reply@example.invalid>"


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
