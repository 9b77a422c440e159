"""SMS and WhatsApp through the signed Twilio connector on a real Rasa server."""

from __future__ import annotations

import random
from urllib.parse import urlencode

import pytest

from bot.sms import segments, to_gsm7
from tests.bot.messaging.fakes import TWILIO_TOKEN, Request
from tests.channels.e2e.conftest import (
    OPERATOR,
    PUBLIC_BASE_URL,
    Answer,
    ChannelServers,
    Fakes,
    post,
)
from tests.channels.fakes import (
    OUR_NUMBER,
    WHATSAPP_SENDER,
    twilio_signature,
    twilio_sms_form,
    twilio_whatsapp_form,
)
from tests.e2e.conftest import Conversation

PATH = "/webhooks/twilio_signed/webhook"
GREETING_LIST = (
    "1. Modifier ma date de portabilité\n2. Suivre ma commande\n"
    "3. Pièces justificatives\n4. Accès à mon espace client"
)


def new_number() -> str:
    return f"+336{random.randrange(10**8):08d}"


def new_sid() -> str:
    return f"SM{random.getrandbits(128):032x}"


def send(
    servers: ChannelServers,
    form: dict[str, str],
    *,
    signed_url: str = PUBLIC_BASE_URL + PATH,
    token: str = TWILIO_TOKEN,
    signature: str | None = None,
) -> Answer:
    """POST Twilio's form, signed as Twilio signs it unless told otherwise."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature is None:
        signature = twilio_signature(token, signed_url, form)
    if signature:
        headers["X-Twilio-Signature"] = signature
    return post(servers.rasa_url + PATH, urlencode(form).encode(), headers)


def sent_to(fakes: Fakes, number: str) -> list[Request]:
    """The messages the fake Twilio was asked to send to `number`."""
    return [r for r in fakes.twilio.requests if r.form.get("To") == number]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_a_greeting_by_sms_gets_the_greeting_and_numbered_buttons(servers, fakes):
    number = new_number()
    answer = send(servers, twilio_sms_form(new_sid(), number, "bonjour"))
    assert answer.status == 200
    assert "<Response>" in answer.body
    messages = sent_to(fakes, number)
    assert messages, "no SMS reached the fake Twilio"
    assert {m.form["From"] for m in messages} == {OUR_NUMBER}
    bodies = [m.form["Body"] for m in messages]
    assert all(segments(body) <= 2 and body == to_gsm7(body) for body in bodies)
    text = "\n".join(bodies)
    assert to_gsm7(OPERATOR) in text
    assert to_gsm7(GREETING_LIST) in text


def test_a_number_reply_is_read_as_the_button_it_names(servers, fakes):
    number = new_number()
    send(servers, twilio_sms_form(new_sid(), number, "bonjour"))
    before = len(sent_to(fakes, number))
    assert send(servers, twilio_sms_form(new_sid(), number, "2")).status == 200
    sms = flat(" ".join(m.form["Body"] for m in sent_to(fakes, number)[before:]))
    rest = Conversation(servers)
    rest.say("bonjour")
    expected = [reply["text"] for reply in rest.say("/order_status")]
    assert expected and all(flat(to_gsm7(text)) in sms for text in expected)


def test_a_whatsapp_message_is_answered_in_one_message_from_the_whatsapp_sender(
    servers, fakes
):
    customer = "whatsapp:" + new_number()
    answer = send(servers, twilio_whatsapp_form(new_sid(), customer, "bonjour"))
    assert answer.status == 200
    [message] = sent_to(fakes, customer)
    assert message.form["From"] == WHATSAPP_SENDER
    assert OPERATOR in message.form["Body"]
    assert message.form["Body"].endswith(GREETING_LIST)


def test_a_replayed_message_sid_gets_no_second_answer(servers, fakes):
    number = new_number()
    form = twilio_sms_form(new_sid(), number, "bonjour")
    assert send(servers, form).status == 200
    answered = len(sent_to(fakes, number))
    assert answered > 0
    assert send(servers, form).status == 200
    assert len(sent_to(fakes, number)) == answered


def test_a_request_without_body_is_answered_200_and_does_nothing(servers, fakes):
    number = new_number()
    answer = send(servers, twilio_sms_form(new_sid(), number, None))
    assert answer.status == 200
    assert sent_to(fakes, number) == []


@pytest.mark.parametrize(
    "how",
    ["no signature", "signed for the local url", "another token", "garbage"],
)
def test_a_request_without_a_valid_signature_is_refused_with_403(servers, fakes, how):
    number = new_number()
    form = twilio_sms_form(new_sid(), number, "bonjour")
    options = {
        "no signature": {"signature": ""},
        "signed for the local url": {"signed_url": servers.rasa_url + PATH},
        "another token": {"token": "not-our-token"},
        "garbage": {"signature": "bm90IGEgc2lnbmF0dXJl"},
    }[how]
    answer = send(servers, form, **options)
    assert answer.status == 403
    assert sent_to(fakes, number) == []


def test_a_form_changed_after_signing_is_refused(servers, fakes):
    number = new_number()
    form = twilio_sms_form(new_sid(), number, "bonjour")
    signature = twilio_signature(TWILIO_TOKEN, PUBLIC_BASE_URL + PATH, form)
    answer = send(servers, {**form, "Body": "/affirm"}, signature=signature)
    assert answer.status == 403
    assert sent_to(fakes, number) == []
