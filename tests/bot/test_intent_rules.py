"""Corrections after the fallback: a request given with its facts stays a request."""

from __future__ import annotations

import pytest

from bot.intent_rules import (
    bare_stop,
    closes_with_goodbye,
    confirmation_answer,
    date_answer_intent,
    resolve_ambiguity,
    says_not_the_porting,
    second_request,
    too_long,
    weak_out_of_scope,
    yes_or_no,
)
from bot.intent_text import masked_for_intent
from bot.login_help import email_change_failed

THRESHOLD = 0.3


def ranking(*scores: tuple[str, float]) -> list[dict]:
    """A FallbackClassifier ranking: the fallback first, then the classifier's."""
    return [{"name": "nlu_fallback", "confidence": THRESHOLD}] + [
        {"name": name, "confidence": score} for name, score in scores
    ]


def test_a_request_close_to_mere_information_is_the_request() -> None:
    close = ranking(("inform", 0.44), ("order_status", 0.42))
    assert resolve_ambiguity(close, THRESHOLD) == "order_status"


def test_two_compatible_requests_keep_the_first() -> None:
    close = ranking(("ask_porting_date", 0.41), ("order_status", 0.36))
    assert resolve_ambiguity(close, THRESHOLD) == "ask_porting_date"


@pytest.mark.parametrize(
    "pair",
    [("change_porting_date", "cancel_porting"), ("cancel_order", "cancel_porting")],
)
def test_changing_or_cancelling_close_together_stays_unclear(pair) -> None:
    close = ranking((pair[0], 0.41), (pair[1], 0.40))
    assert resolve_ambiguity(close, THRESHOLD) is None


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "non pas la portabilité, ma commande, je ne veux plus du téléphone",
            "cancel_order",
        ),
        ("je veux annuler", None),
        ("annuler ma commande svp", "cancel_order"),
        ("annuler la portabilité de ma commande CMD-2026-004512", None),
    ],
)
def test_between_the_two_cancellations_a_named_order_keeps_the_harmless_one(
    text: str, kept: str | None
) -> None:
    close = ranking(("cancel_porting", 0.42), ("cancel_order", 0.35))
    assert resolve_ambiguity(close, THRESHOLD, text) == kept


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "Surtout n'annulez rien ! Je voulais seulement savoir jusqu'à quand",
            "ask_porting_process",
        ),
        ("je voulais juste savoir si je peux annuler ma commande", "cancel_order"),
        ("annulez ma portabilité", None),
    ],
)
def test_between_the_two_cancellations_a_message_that_only_asks_is_a_question(
    text: str, kept: str | None
) -> None:
    close = ranking(("cancel_order", 0.33), ("cancel_porting", 0.25))
    assert resolve_ambiguity(close, THRESHOLD, text) == kept


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "n'annulez rien, je voulais juste savoir jusqu'à quand on peut",
            "ask_porting_process",
        ),
        (
            "simple question : on peut changer la date combien de fois ?",
            "ask_porting_process",
        ),
        (
            "je veux annuler ma portabilité, c'est possible jusqu'à quand ?",
            "cancel_porting",
        ),
    ],
)
def test_between_a_porting_request_and_a_question_saying_it_only_asks_decides(
    text: str, kept: str
) -> None:
    close = ranking(("cancel_porting", 0.45), ("ask_porting_process", 0.40))
    assert resolve_ambiguity(close, THRESHOLD, text) == kept


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "je me connecte avec l'adresse de mon mari, je voudrais mettre la mienne",
            "change_login_email",
        ),
        (
            "mon identifiant c'est mon ancienne adresse, je peux la changer ?",
            "change_login_email",
        ),
        ("je me connecte avec quelle adresse mail ?", "recover_access"),
        ("mon adresse mail ne marche plus pour me connecter", "recover_access"),
        ("je veux changer mon mot de passe", "recover_access"),
    ],
)
def test_between_logging_in_and_the_login_address_replacing_it_decides(
    text: str, kept: str
) -> None:
    close = ranking(("recover_access", 0.45), ("change_login_email", 0.40))
    assert resolve_ambiguity(close, THRESHOLD, text) == kept


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "il reste combien de temps avant que mon numéro passe chez vous ?",
            "ask_porting_date",
        ),
        ("c'est pour quand ma porta ?", "ask_porting_date"),
        (
            "une portabilité ça prend combien de temps en général ?",
            "ask_porting_process",
        ),
    ],
)
def test_between_how_long_and_when_a_porting_of_ones_own_decides(
    text: str, kept: str
) -> None:
    close = ranking(("ask_porting_process", 0.46), ("ask_porting_date", 0.45))
    assert resolve_ambiguity(close, THRESHOLD, text) == kept


def test_a_weak_best_intent_keeps_the_fallback() -> None:
    weak = ranking(("order_status", 0.25), ("inform", 0.24))
    assert resolve_ambiguity(weak, THRESHOLD) is None


@pytest.mark.parametrize(
    "pair", [("greet", "inform"), ("affirm", "deny"), ("out_of_scope", "complain")]
)
def test_chit_chat_or_answers_close_together_stay_unclear(pair) -> None:
    close = ranking((pair[0], 0.4), (pair[1], 0.39))
    assert resolve_ambiguity(close, THRESHOLD) is None


def test_a_ranking_with_a_single_intent_keeps_the_fallback() -> None:
    assert resolve_ambiguity(ranking(("order_status", 0.9)), THRESHOLD) is None


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
    ("pair", "kept"),
    [
        (("thank", "affirm"), "affirm"),
        (("thank", "deny"), "deny"),
        (("thank", "goodbye"), "goodbye"),
    ],
)
def test_thanks_that_come_with_an_answer_or_a_goodbye_keep_it(pair, kept) -> None:
    close = ranking((pair[0], 0.41), (pair[1], 0.40))
    assert resolve_ambiguity(close, THRESHOLD) == kept


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
