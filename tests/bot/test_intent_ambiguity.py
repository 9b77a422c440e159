"""Two close readings of a message: which one stands, or the fallback
(`bot.intent_rules.resolve_ambiguity`)."""

from __future__ import annotations

import pytest

from bot.intent_rules import resolve_ambiguity

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


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("pourquoi vous me demandez un code ?", "ask_why"),
        ("pk il faut un code", "ask_why"),
        ("ça sert à quoi ce code ?", "ask_why"),
        ("pourquoi j'ai toujours pas reçu le code ?", "code_not_received"),
        ("pourquoi le code arrive pas", "code_not_received"),
        ("il est expiré, pourquoi ?", "code_not_received"),
        ("un autre code svp", "code_not_received"),
        ("le code", None),
    ],
)
@pytest.mark.parametrize("first", ["code_not_received", "ask_why"])
def test_between_a_missing_code_and_why_a_code_the_missing_code_decides(
    text: str, kept: str | None, first: str
) -> None:
    (second,) = {"code_not_received", "ask_why"} - {first}
    close = ranking((first, 0.37), (second, 0.34))
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
