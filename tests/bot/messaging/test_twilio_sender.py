"""The Twilio sender against a local fake of Twilio's Messages API."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.messaging import SendError, TwilioSender, sender_from_settings
from tests.bot.messaging.fakes import TWILIO_SID, TWILIO_TOKEN

MESSAGES_PATH = f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json"


def twilio_sender(
    url: str, *, token: str = TWILIO_TOKEN, sender_id: str = "0700000000"
):
    return TwilioSender(TWILIO_SID, token, sender_id, api_base_url=url, timeout=2)


def test_the_twilio_sender_posts_the_message_to_the_messages_resource(fake_twilio):
    message_id = twilio_sender(fake_twilio.url).send("06 12 34 56 78", "Votre code : 1")
    [request] = fake_twilio.requests
    assert request.method == "POST"
    assert request.path == MESSAGES_PATH
    assert request.basic_auth == (TWILIO_SID, TWILIO_TOKEN)
    assert request.form == {
        "To": "+33612345678",
        "From": "+33700000000",
        "Body": "Votre code : 1",
    }
    assert message_id == "SM" + "0" * 31 + "1"


@pytest.mark.parametrize("sender_id", ["AuchanTel", "+14155550100"])
def test_an_alphanumeric_or_foreign_sender_id_is_kept_as_given(fake_twilio, sender_id):
    twilio_sender(fake_twilio.url, sender_id=sender_id).send("0612345678", "x")
    assert fake_twilio.requests[0].form["From"] == sender_id


def test_the_settings_point_the_twilio_sender_at_the_configured_base_url(fake_twilio):
    settings = Settings(
        sms_provider="twilio",
        twilio_account_sid=TWILIO_SID,
        twilio_auth_token=TWILIO_TOKEN,
        twilio_from_number="+33700000000",
        twilio_api_base_url=fake_twilio.url + "/",
    )
    assert sender_from_settings(settings).send("0612345678", "x").startswith("SM")
    assert [request.path for request in fake_twilio.requests] == [MESSAGES_PATH]


@pytest.mark.parametrize(
    ("status", "retryable"),
    [(400, False), (404, False), (429, True), (500, True), (503, True)],
)
def test_twilio_error_answers_are_classified_by_status(fake_twilio, status, retryable):
    answer = {"code": 20001, "message": "no", "status": status}
    fake_twilio.respond.failure = (status, answer)
    with pytest.raises(SendError) as error:
        twilio_sender(fake_twilio.url).send("0612345678", "x")
    assert error.value.retryable is retryable
    assert f"HTTP {status}" in str(error.value)


def test_twilio_s_explanation_of_a_refusal_is_kept(fake_twilio):
    fake_twilio.respond.failure = (
        400,
        {"code": 21211, "message": "The 'To' number is not valid.", "status": 400},
    )
    with pytest.raises(SendError, match=r"code 21211.*The 'To' number is not valid"):
        twilio_sender(fake_twilio.url).send("0612345678", "x")


def test_a_wrong_auth_token_is_not_retried(fake_twilio):
    with pytest.raises(SendError) as error:
        twilio_sender(fake_twilio.url, token="wrong").send("0612345678", "x")
    assert error.value.retryable is False
    assert "HTTP 401" in str(error.value)


def test_an_unreachable_twilio_is_worth_a_retry(closed_port_url):
    with pytest.raises(SendError) as error:
        twilio_sender(closed_port_url).send("0612345678", "x")
    assert error.value.retryable is True


def test_a_slow_twilio_times_out_and_is_worth_a_retry(fake_twilio):
    fake_twilio.delay = 1.0
    sender = TwilioSender(
        TWILIO_SID,
        TWILIO_TOKEN,
        "0700000000",
        api_base_url=fake_twilio.url,
        timeout=0.2,
    )
    with pytest.raises(SendError) as error:
        sender.send("0612345678", "x")
    assert error.value.retryable is True


def test_a_bad_recipient_never_reaches_twilio(fake_twilio):
    with pytest.raises(SendError):
        twilio_sender(fake_twilio.url).send("12345", "x")
    assert fake_twilio.requests == []


def test_without_a_base_url_the_sender_aims_at_twilio_itself():
    sender = TwilioSender(TWILIO_SID, TWILIO_TOKEN, "0700000000")
    # The no_network fixture refuses the lookup: nothing leaves the machine.
    with pytest.raises(SendError, match="api.twilio.com.*no network in tests"):
        sender.send("0612345678", "x")
