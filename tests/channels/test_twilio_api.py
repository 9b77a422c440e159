"""Twilio's webhook form, the public URL it signs, and answers sent back."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from bot.channels.twilio_api import (
    TwilioReplySender,
    answer_parts,
    form_fields,
    public_url,
    read_message,
    whatsapp_address,
)
from bot.messaging import SendError
from bot.sms import segments
from tests.bot.messaging.fakes import TWILIO_SID, TWILIO_TOKEN
from tests.channels.fakes import (
    OUR_NUMBER,
    WHATSAPP_SENDER,
    twilio_sms_form,
    twilio_whatsapp_form,
)

SID = "SM" + "a" * 32
PATH = "/webhooks/twilio_signed/webhook"


def parsed(form: dict[str, str]):
    return read_message(form_fields(urlencode(form).encode()))


def test_an_sms_gives_its_text_sender_id_and_our_number():
    message = parsed(twilio_sms_form(SID, "+33612345678", "Bonjour"))
    assert message is not None
    assert (message.incoming.message_id, message.incoming.sender) == (
        SID,
        "+33612345678",
    )
    assert (message.incoming.text, message.to) == ("Bonjour", OUR_NUMBER)
    assert not message.whatsapp


def test_a_whatsapp_message_is_answered_from_the_whatsapp_sender():
    form = twilio_whatsapp_form(SID, "whatsapp:+33612345678", "Bonjour")
    message = parsed(form)
    assert message is not None
    assert message.to == WHATSAPP_SENDER
    assert message.whatsapp


@pytest.mark.parametrize("body", [None, "", "   "])
def test_a_form_without_body_is_no_message(body):
    assert parsed(twilio_sms_form(SID, "+33612345678", body)) is None


def test_a_status_callback_is_no_message():
    form = {"MessageSid": SID, "MessageStatus": "delivered", "To": "+33612345678"}
    assert parsed(form) is None


def test_the_at_sign_some_carriers_turn_into_an_inverted_mark_is_restored():
    message = parsed(twilio_sms_form(SID, "+33612345678", "marie¡example.fr"))
    assert message is not None and message.incoming.text == "marie@example.fr"


def test_empty_fields_are_kept_because_twilio_signs_them():
    assert form_fields(b"FromCity=&Body=Oui")["FromCity"] == [""]


@pytest.mark.parametrize(
    ("base", "query", "expected"),
    [
        ("https://bot.example.fr", "", f"https://bot.example.fr{PATH}"),
        ("https://bot.example.fr/", "a=1", f"https://bot.example.fr{PATH}?a=1"),
        ("https://x.fr/rasa", "", f"https://x.fr/rasa{PATH}"),
        (f"https://bot.example.fr{PATH}", "", f"https://bot.example.fr{PATH}"),
    ],
)
def test_the_signed_url_is_the_public_base_url_and_the_path(base, query, expected):
    assert public_url(base, PATH, query) == expected


def test_a_whatsapp_sender_gets_its_prefix():
    assert whatsapp_address("+14155238886") == WHATSAPP_SENDER
    assert whatsapp_address(WHATSAPP_SENDER) == WHATSAPP_SENDER


def test_whatsapp_answers_are_cut_at_1600_characters_and_not_folded():
    text = "Fête à Noël. " * 200
    parts = answer_parts(text, whatsapp=True)
    assert all(len(part) <= 1600 for part in parts) and "ê" in parts[0]


def test_sms_answers_are_folded_and_cut_at_two_segments():
    parts = answer_parts("Fête à Noël. " * 60, whatsapp=False)
    assert all(segments(part) <= 2 and "ê" not in part for part in parts)


@pytest.mark.parametrize(
    ("to", "sender_id"),
    [("+33612345678", OUR_NUMBER), ("whatsapp:+33612345678", WHATSAPP_SENDER)],
)
def test_the_reply_sender_writes_to_the_address_as_given(fake_twilio, to, sender_id):
    sender = TwilioReplySender(
        TWILIO_SID, TWILIO_TOKEN, sender_id, api_base_url=fake_twilio.url, timeout=2
    )
    assert sender.send(to, "Bonjour").startswith("SM")
    [request] = fake_twilio.requests
    assert request.form == {"To": to, "From": sender_id, "Body": "Bonjour"}


def test_the_reply_sender_refuses_what_is_not_a_twilio_address(fake_twilio):
    sender = TwilioReplySender(
        TWILIO_SID, TWILIO_TOKEN, OUR_NUMBER, api_base_url=fake_twilio.url
    )
    with pytest.raises(SendError):
        sender.send("0612345678", "Bonjour")
    assert fake_twilio.requests == []


def test_a_refusal_by_twilio_is_a_send_error(fake_twilio):
    fake_twilio.respond.failure = (400, {"code": 21211, "message": "no", "status": 400})
    sender = TwilioReplySender(
        TWILIO_SID, TWILIO_TOKEN, OUR_NUMBER, api_base_url=fake_twilio.url
    )
    with pytest.raises(SendError, match="HTTP 400"):
        sender.send("+33612345678", "Bonjour")
