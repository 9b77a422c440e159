"""Corrections after the fallback: a request given with its facts stays a request."""

from __future__ import annotations

import pytest

from bot.intent_rules import (
    bare_stop,
    closes_with_goodbye,
    confirmation_answer,
    date_answer_intent,
    says_not_the_porting,
    second_request,
    too_long,
    weak_out_of_scope,
    yes_or_no,
)
from bot.intent_text import masked_for_intent
from bot.login_help import email_change_failed


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("cmd2026-004512 elle en est ou", "numcommande elle en est ou"),
        (
            "jveux changer, mon num c 06 12 34 56 78",
            "je veux changer, mon num c numerotel",
        ),
        ("mon mail marie.d@example.fr", "mon mail adressemail"),
        ("le code est 482 913", "le code est codesms"),
        ("décalez au 19 décembre svp", "décalez au ladate svp"),
        ("jour de la portab", "jour de la portab"),
    ],
)
def test_the_classifier_reads_identifiers_and_dates_as_placeholders(
    text: str, masked: str
) -> None:
    assert masked_for_intent(text) == masked


@pytest.mark.parametrize(
    ("text", "failed"),
    [
        ("la modification de mon mail échoue", True),
        ("ça marche pas quand je change mon adresse", True),
        ("il me dit adresse déjà utilisée", True),
        ("comment changer mon mail de connexion", False),
        ("je veux mettre une nouvelle adresse", False),
    ],
)
def test_a_failed_login_email_change_is_told_apart_from_the_steps(
    text: str, failed: bool
) -> None:
    assert email_change_failed(text) is failed


@pytest.mark.parametrize(
    ("text", "task", "second"),
    [
        (
            "c'est quand ma portabilité et ma commande elle en est où ?",
            "status",
            "order",
        ),
        (
            "ma commande est partie ? et la date de ma portab c'est quand",
            "order",
            "status",
        ),
        ("c'est quand ma portabilité ?", "status", None),
        ("où en est ma commande", "order", None),
        ("je veux changer la date et suivre ma commande", "change", None),
    ],
)
def test_a_second_read_only_request_in_the_same_message_is_kept(
    text: str, task: str, second: str | None
) -> None:
    assert second_request(text, task) == second


def test_an_unsure_out_of_scope_reading_asks_to_rephrase() -> None:
    assert weak_out_of_scope("out_of_scope", 0.35)
    assert not weak_out_of_scope("out_of_scope", 0.95)
    assert not weak_out_of_scope("order_status", 0.35)


def test_an_out_of_scope_question_about_a_date_stays_out_of_scope() -> None:
    assert date_answer_intent("out_of_scope", ["date"], "quel temps demain") is None


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("Oui, je confirme, merci beaucoup.", True),
        ("ouais vas y", True),
        ("d'accord", True),
        ("non merci", False),
        ("Non, pas ce jour-là", False),
        ("oui... enfin non", None),
        ("je ne sais pas", None),
        ("merci", None),
    ],
)
def test_a_plain_yes_or_no_opening_the_message_is_read(
    text: str, answer: bool | None
) -> None:
    assert yes_or_no(text) is answer


@pytest.mark.parametrize(
    ("intent", "text", "task", "answer"),
    [
        ("thank", "oui merci", "change", True),
        ("nlu_fallback", "non, finalement", "cancel", False),
        ("cancel_order", "oui j'annule quand même", "cancel", True),
        ("cancel_order", "oui, et annulez la commande", "cancel", None),
        ("cancel_porting", "oui j'annule", "change", None),
        ("cancel_porting", "annulez svp", "cancel", True),
        ("cancel_porting", "non, n'annulez pas", "cancel", False),
        ("ask_why", "oui mais pourquoi ?", "change", None),
        ("inform", "oui, je reste chez mon opérateur", "cancel", True),
        ("english", "yes please", "cancel", True),
        ("deny", "oui bon laissez tomber", "cancel", None),
        ("complain", "ok c'est nul", "cancel", None),
    ],
)
def test_a_confirmation_is_read_from_the_words_only_when_harmless(
    intent, text, task, answer
) -> None:
    assert confirmation_answer(intent, text, task) is answer


@pytest.mark.parametrize(
    ("intent", "text", "leaving"),
    [
        ("nlu_fallback", "c'était pour essayer. Merci beaucoup et bonne soirée.", True),
        ("nlu_fallback", "bref au revoir", True),
        ("nlu_fallback", "bonne soirée mais je voulais changer ma date", False),
        ("thank", "merci, bonne journée", False),
        ("change_porting_date", "je veux changer ma date, bonne journée", False),
    ],
)
def test_an_unclear_message_ending_with_a_farewell_is_a_goodbye(
    intent, text, leaving
) -> None:
    assert closes_with_goodbye(intent, text) is leaving


@pytest.mark.parametrize(
    ("intent", "text", "order"),
    [
        (
            "cancel_porting",
            "annuler ma commande, pas la portabilité, juste la commande",
            True,
        ),
        (
            "cancel_porting",
            "annuler la portabilité de ma commande CMD-2026-004512",
            False,
        ),
        ("cancel_porting", "pas de portabilité finalement, annulez", False),
        ("change_porting_date", "ma commande, pas la portabilité", False),
    ],
)
def test_a_cancellation_said_not_to_be_the_porting_is_the_orders(
    intent: str, text: str, order: bool
) -> None:
    assert says_not_the_porting(intent, text) is order


@pytest.mark.parametrize(
    ("text", "stop"),
    [
        ("stop", True),
        ("STOP !", True),
        ("laissez tomber", True),
        ("stop stop", True),
        ("stop la porta", False),
        ("arrête de m'envoyer des sms", False),
    ],
)
def test_a_bare_stop_is_a_no(text: str, stop: bool) -> None:
    assert bare_stop(text) is stop


def test_a_message_is_read_up_to_2000_characters() -> None:
    assert not too_long("a" * 2000)
    assert too_long("a" * 2001)
