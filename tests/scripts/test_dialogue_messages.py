"""Classifying outbox texts, built from the real templates of bot/."""

from __future__ import annotations

from bot.access import RESET_EMAIL_BODY, RESET_EMAIL_SUBJECT, RESET_SMS
from bot.contract_link import CONTRACT_EMAIL, CONTRACT_SUBJECT
from bot.messaging.email import compose_email
from bot.porting_service import CANCEL_SMS, CHANGE_SMS
from bot.sms import to_gsm7
from bot.verification import CODE_SMS
from scripts.dialogue_eval.messages import SENT_KINDS, classify, code_in

OPERATOR = "Auchan Télécom"
LINK = "https://espace-client.example.invalid/reinitialiser?token=abc"


def _sms(template: str, **values: object) -> str:
    return to_gsm7(template.format(**values))  # as the outbox stores an SMS


CODE = _sms(CODE_SMS, operator_name=OPERATOR, code="048213", minutes=10)
CHANGE = _sms(
    CHANGE_SMS,
    operator=OPERATOR,
    number="06 12 34 56 78",
    date="samedi 19 décembre 2026",
    slot="le matin",
)
CANCEL = _sms(
    CANCEL_SMS, operator=OPERATOR, number="07 45 67 89 01", date="samedi 26 décembre"
)
RESET_TEXT = _sms(RESET_SMS, operator_name=OPERATOR, link=LINK, minutes=30)
RESET_MAIL = compose_email(
    RESET_EMAIL_SUBJECT.format(operator_name=OPERATOR),
    RESET_EMAIL_BODY.format(operator_name=OPERATOR, link=LINK, minutes=30),
)
CONTRACT_MAIL = compose_email(
    CONTRACT_SUBJECT.format(operator=OPERATOR),
    CONTRACT_EMAIL.format(operator=OPERATOR, url="https://x.example/suivi"),
)


def test_each_template_is_classified_as_its_kind():
    assert [
        classify("sms", CODE),
        classify("sms", CHANGE),
        classify("sms", CANCEL),
        classify("sms", RESET_TEXT),
        classify("email", RESET_MAIL),
        classify("email", CONTRACT_MAIL),
    ] == list(SENT_KINDS)


def test_the_kind_does_not_depend_on_the_operator_name():
    text = CODE_SMS.format(operator_name="Opérateur Test", code="123456", minutes=10)
    assert classify("sms", text) == "code"


def test_a_text_on_the_wrong_channel_is_other():
    assert classify("email", CODE) == "other"
    assert classify("sms", RESET_MAIL) == "other"


def test_an_unknown_text_is_other():
    assert classify("sms", "Bonjour, votre colis arrive demain.") == "other"
    assert classify("email", "Subject: Bienvenue\n\nBonjour") == "other"
    assert classify("fax", CODE) == "other"


def test_the_code_is_read_from_a_verification_sms():
    assert code_in(CODE) == "048213"


def test_no_code_is_read_from_another_sms():
    assert code_in(CHANGE) is None
