"""Webhook checks: Twilio's signature, Telegram's secret token, Meta's HMAC-SHA256."""

from __future__ import annotations

import hmac

import pytest
import twilio.request_validator

from bot.channels import signatures
from bot.channels.signatures import (
    messenger_signature_valid,
    same_secret,
    telegram_secret_valid,
    twilio_request_valid,
)
from tests.channels.fakes import (
    hub_signature_256,
    hub_signature_sha1,
    twilio_signature,
    twilio_sms_form,
)

TOKEN = "twilio-auth-token"
URL = "https://bot.example.test/webhooks/twilio_signed/webhook"
BODY = b'{"object":"page","entry":[]}'


def fields(form: dict[str, str]) -> dict[str, list[str]]:
    return {name: [value] for name, value in form.items()}


@pytest.fixture
def form() -> dict[str, str]:
    return twilio_sms_form("SM" + "1" * 32, "+33612345678", "Bonjour")


def test_a_twilio_request_signed_over_the_public_url_is_valid(form):
    signature = twilio_signature(TOKEN, URL, form)
    assert twilio_request_valid(TOKEN, URL, fields(form), signature)


def test_twilio_signs_empty_fields_too_so_they_must_be_kept(form):
    signature = twilio_signature(TOKEN, URL, form)
    without_empty = {name: value for name, value in form.items() if value}
    assert not twilio_request_valid(TOKEN, URL, fields(without_empty), signature)


def test_twilio_may_sign_the_url_with_its_default_port(form):
    with_port = URL.replace("test/", "test:443/")
    signature = twilio_signature(TOKEN, with_port, form)
    assert twilio_request_valid(TOKEN, URL, fields(form), signature)


@pytest.mark.parametrize(
    "change",
    [
        lambda form, url, token: ({**form, "Body": "Bonjour!"}, url, token),
        lambda form, url, token: (form, url.replace("bot.", "evil."), token),
        lambda form, url, token: (form, url, "another-token"),
    ],
    ids=["another body", "another url", "another token"],
)
def test_a_twilio_signature_for_anything_else_is_refused(form, change):
    signed_form, signed_url, signed_token = change(form, URL, TOKEN)
    signature = twilio_signature(signed_token, signed_url, signed_form)
    assert not twilio_request_valid(TOKEN, URL, fields(form), signature)


@pytest.mark.parametrize("signature", [None, ""])
def test_a_twilio_request_without_signature_is_refused(form, signature):
    assert not twilio_request_valid(TOKEN, URL, fields(form), signature)


def test_without_an_auth_token_no_twilio_request_is_valid(form):
    signature = twilio_signature("", URL, form)
    assert not twilio_request_valid("", URL, fields(form), signature)


def test_the_twilio_check_compares_every_character(form, monkeypatch):
    calls = []
    real = twilio.request_validator.compare

    def spy(left: str, right: str) -> bool:
        calls.append((left, right))
        return real(left, right)

    monkeypatch.setattr(twilio.request_validator, "compare", spy)
    twilio_request_valid(TOKEN, URL, fields(form), twilio_signature(TOKEN, URL, form))
    assert calls  # RequestValidator's constant-time compare, not ==


def test_the_telegram_secret_token_must_match_exactly():
    assert telegram_secret_valid("s3cret-token", "s3cret-token")
    assert not telegram_secret_valid("s3cret-token", "s3cret-tokeN")
    assert not telegram_secret_valid("s3cret-token", "s3cret-token ")


@pytest.mark.parametrize("header", [None, ""])
def test_a_telegram_update_without_the_secret_header_is_refused(header):
    assert not telegram_secret_valid("s3cret-token", header)


def test_an_empty_configured_secret_accepts_nothing():
    assert not same_secret("", "")
    assert not same_secret(None, "anything")


def test_a_messenger_body_signed_with_hmac_sha256_is_valid():
    header = hub_signature_256("app-secret", BODY)
    assert messenger_signature_valid("app-secret", BODY, header)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        hub_signature_256("another-secret", BODY),
        hub_signature_256("app-secret", BODY + b" "),
        hub_signature_sha1("app-secret", BODY),
        hub_signature_256("app-secret", BODY).removeprefix("sha256="),
    ],
    ids=["missing", "empty", "other secret", "other body", "sha1", "no prefix"],
)
def test_a_messenger_body_with_any_other_signature_is_refused(header):
    assert not messenger_signature_valid("app-secret", BODY, header)


def test_telegram_and_messenger_checks_use_a_constant_time_compare(monkeypatch):
    calls = []
    real = hmac.compare_digest

    def spy(left: bytes, right: bytes) -> bool:
        calls.append((left, right))
        return real(left, right)

    monkeypatch.setattr(signatures.hmac, "compare_digest", spy)
    telegram_secret_valid("s3cret-token", "guess")
    messenger_signature_valid("app-secret", BODY, hub_signature_256("x", BODY))
    assert len(calls) == 2
