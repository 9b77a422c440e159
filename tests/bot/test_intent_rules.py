"""Corrections after the fallback: a request given with its facts stays a request."""

from __future__ import annotations

import pytest

from bot.intent_rules import (
    date_answer_intent,
    resolve_ambiguity,
    second_request,
    weak_out_of_scope,
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
