"""The HTTP sender against a local fake SMS gateway."""

from __future__ import annotations

import pytest

from bot.messaging import HttpSender, SendError
from tests.bot.messaging.fakes import GATEWAY_TOKEN


def gateway_sender(url: str, token: str = GATEWAY_TOKEN, timeout: float = 2):
    return HttpSender(url + "/send", token, timeout=timeout)


def test_the_http_sender_posts_json_with_the_bearer_token(fake_gateway):
    message_id = gateway_sender(fake_gateway.url).send("0612345678", "Bonjour é")
    [request] = fake_gateway.requests
    assert request.path == "/send"
    assert request.headers["authorization"] == f"Bearer {GATEWAY_TOKEN}"
    assert request.headers["content-type"] == "application/json"
    assert request.json == {"to": "+33612345678", "text": "Bonjour é"}
    assert message_id == "msg-1"


def test_an_answer_without_an_id_still_counts_as_sent(fake_gateway):
    fake_gateway.respond = lambda request: (200, {"accepted": True})
    assert gateway_sender(fake_gateway.url).send("0612345678", "x") == ""


def test_a_wrong_token_is_not_retried(fake_gateway):
    with pytest.raises(SendError) as error:
        gateway_sender(fake_gateway.url, token="wrong").send("0612345678", "x")
    assert error.value.retryable is False
    assert "HTTP 401" in str(error.value)


@pytest.mark.parametrize(
    ("status", "retryable"),
    [(400, False), (404, False), (429, True), (500, True), (503, True)],
)
def test_gateway_error_answers_are_classified_by_status(
    fake_gateway, status, retryable
):
    fake_gateway.respond.failure = (status, {"error": "no"})
    with pytest.raises(SendError) as error:
        gateway_sender(fake_gateway.url).send("0612345678", "x")
    assert error.value.retryable is retryable


def test_a_redirect_is_not_followed_and_not_retried(fake_gateway):
    fake_gateway.respond.failure = (302, {})
    with pytest.raises(SendError) as error:
        gateway_sender(fake_gateway.url).send("0612345678", "x")
    assert error.value.retryable is False


def test_an_unreachable_gateway_is_worth_a_retry(closed_port_url):
    with pytest.raises(SendError) as error:
        HttpSender(closed_port_url, GATEWAY_TOKEN).send("0612345678", "x")
    assert error.value.retryable is True


def test_a_slow_gateway_times_out_and_is_worth_a_retry(fake_gateway):
    fake_gateway.delay = 1.0
    with pytest.raises(SendError) as error:
        gateway_sender(fake_gateway.url, timeout=0.2).send("0612345678", "x")
    assert error.value.retryable is True


def test_a_keyed_send_carries_the_idempotency_key(fake_gateway):
    gateway_sender(fake_gateway.url).send_keyed("0612345678", "x", "outbox-42")
    [request] = fake_gateway.requests
    assert request.headers["idempotency-key"] == "outbox-42"
    assert request.json == {"to": "+33612345678", "text": "x", "id": "outbox-42"}


def test_a_wrong_token_is_flagged_as_refused_credentials(fake_gateway):
    with pytest.raises(SendError) as error:
        gateway_sender(fake_gateway.url, token="wrong").send("0612345678", "x")
    assert error.value.credentials_refused is True
