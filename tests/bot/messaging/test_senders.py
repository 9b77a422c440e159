"""The console sender, number formatting, retry classes and the provider choice."""

from __future__ import annotations

import io

import pytest

from bot.config import ConfigError, Settings
from bot.messaging import (
    ConsoleSender,
    HttpSender,
    SendError,
    TwilioSender,
    sender_from_settings,
    senders_from_settings,
)
from bot.messaging.senders import is_retryable_status, to_e164
from bot.models import Channel
from tests.bot.messaging.fakes import TWILIO_SID

TWILIO = {
    "twilio_account_sid": TWILIO_SID,
    "twilio_auth_token": "token",
    "twilio_from_number": "0700000000",
}
HTTP = {"sms_http_url": "https://sms.example.test/send", "sms_http_token": "secret"}


def test_the_console_sender_writes_the_number_and_the_text():
    stream = io.StringIO()
    message_id = ConsoleSender(stream).send("0612345678", "Votre code : 482913")
    assert stream.getvalue() == "SMS to 0612345678: Votre code : 482913\n"
    assert message_id.startswith("console-")


def test_the_console_sender_writes_to_standard_output_by_default(capsys):
    ConsoleSender().send("0612345678", "Bonjour")
    assert capsys.readouterr().out == "SMS to 0612345678: Bonjour\n"


def test_each_console_message_gets_its_own_id():
    sender = ConsoleSender(io.StringIO())
    assert sender.send("0612345678", "a") != sender.send("0612345678", "b")


@pytest.mark.parametrize(
    "number",
    [
        "0612345678",
        "06 12 34 56 78",
        "06.12.34.56.78",
        "+33 6 12 34 56 78",
        "0033612345678",
    ],
)
def test_a_french_number_is_sent_in_international_format(number):
    assert to_e164(number) == "+33612345678"


@pytest.mark.parametrize("number", ["12345", "client@example.fr", "+44 20 7946 0958"])
def test_a_recipient_that_is_no_french_number_is_refused_for_good(number):
    with pytest.raises(SendError) as error:
        to_e164(number)
    assert error.value.retryable is False


@pytest.mark.parametrize(
    ("status", "retryable"),
    [
        (400, False),
        (401, False),
        (403, False),
        (404, False),
        (422, False),
        (429, True),
        (500, True),
        (502, True),
        (503, True),
    ],
)
def test_only_throttling_and_server_errors_are_worth_a_retry(status, retryable):
    assert is_retryable_status(status) is retryable


@pytest.mark.parametrize(
    ("settings", "sender_class"),
    [
        (Settings(), ConsoleSender),
        (Settings(sms_provider="twilio", **TWILIO), TwilioSender),
        (Settings(sms_provider="http", **HTTP), HttpSender),
    ],
)
def test_the_configured_provider_chooses_the_sender(settings, sender_class):
    assert isinstance(sender_from_settings(settings), sender_class)


def test_each_channel_has_a_sender():
    assert set(senders_from_settings(Settings())) == {Channel.SMS, Channel.EMAIL}


@pytest.mark.parametrize(
    ("missing", "variable"),
    [
        ("twilio_account_sid", "TWILIO_ACCOUNT_SID"),
        ("twilio_auth_token", "TWILIO_AUTH_TOKEN"),
        ("twilio_from_number", "TWILIO_FROM_NUMBER"),
    ],
)
def test_twilio_without_its_credentials_is_a_configuration_error(missing, variable):
    settings = Settings(sms_provider="twilio", **(TWILIO | {missing: None}))
    with pytest.raises(ConfigError, match=f"SMS_PROVIDER=twilio needs {variable}"):
        sender_from_settings(settings)


def test_the_http_provider_names_every_missing_setting():
    with pytest.raises(ConfigError, match="needs SMS_HTTP_URL, SMS_HTTP_TOKEN"):
        sender_from_settings(Settings(sms_provider="http"))


@pytest.mark.parametrize(
    "settings",
    [
        Settings(sms_provider="http", **(HTTP | {"sms_http_url": "sms.example.test"})),
        Settings(sms_provider="twilio", twilio_api_base_url="ftp://x", **TWILIO),
    ],
)
def test_a_provider_url_must_be_http(settings):
    with pytest.raises(ConfigError, match="must be an http"):
        sender_from_settings(settings)
