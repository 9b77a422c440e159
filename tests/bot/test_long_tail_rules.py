"""Small rules for the long tail: the closing wish, English requests, login help,
date answers relabelled, one-time codes masked."""

from __future__ import annotations

import pytest

from bot.english import english_topic
from bot.farewell import DEFAULT_WISH, wish_for
from bot.intent_rules import date_answer_intent
from bot.login_help import login_question, login_topic
from bot.masking import CODE_MASK, mask_codes


@pytest.mark.parametrize(
    ("text", "wish"),
    [
        ("Merci, bonne fin de journée !", "bonne fin de journée"),
        ("bonne fin de journee a vous", "bonne fin de journée"),
        ("bonne soirée à vous", "bonne soirée"),
        ("merci bonne soiree", "bonne soirée"),
        ("Bonsoir et merci", "bonne soirée"),
        ("bonne nuit", "bonne nuit"),
        ("bon week-end", "bon week-end"),
        ("bon we", "bon week-end"),
        ("merci bon weekend !!", "bon week-end"),
        ("bonnes fêtes", "bonnes fêtes"),
        ("passez de bonnes fêtes de fin d'année", "bonnes fêtes"),
    ],
)
def test_the_customers_own_wish_is_returned(text: str, wish: str) -> None:
    assert wish_for(text) == wish


@pytest.mark.parametrize(
    "text", ["merci au revoir", "bye", "merci bonne journée", "a+", "ok", ""]
)
def test_without_a_wish_of_their_own_customers_get_a_good_day(text: str) -> None:
    assert wish_for(text) == DEFAULT_WISH == "bonne journée"


def test_the_most_specific_wish_wins_over_a_good_day() -> None:
    assert wish_for("bonne journée et bon week-end") == "bon week-end"
    assert wish_for("bonne journée, enfin bonne fin de journée") == (
        "bonne fin de journée"
    )


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I want to speak to a human", "request_human"),
        ("can I talk to an agent please", "request_human"),
        ("call me", "request_human"),
        ("cancel my porting", "cancel_porting"),
        ("stop the number transfer", "cancel_porting"),
        ("change my porting date", "change_porting_date"),
        ("can I move the transfer to another day", "change_porting_date"),
        ("Reschedule my port", "change_porting_date"),
        ("where is my order", "order_status"),
        ("track my parcel", "order_status"),
        ("I forgot my password", "recover_access"),
        ("can't log in to my account", "recover_access"),
        ("what documents do you need", "ask_documents"),
        ("is a passport ok", "ask_documents"),
        ("what is the RIO", "ask_rio"),
    ],
)
def test_english_requests_point_to_their_flow(text: str, intent: str) -> None:
    assert english_topic(text) == intent


@pytest.mark.parametrize(
    "text", ["hello", "thanks", "do you speak english", "bonjour", ""]
)
def test_english_messages_naming_no_task_give_no_intent(text: str) -> None:
    assert english_topic(text) is None


def test_asking_for_a_person_wins_over_the_task_named() -> None:
    assert english_topic("cancel my porting, I want to talk to someone") == (
        "request_human"
    )


@pytest.mark.parametrize(
    "text",
    [
        "j'ai oublié mon adresse mail",
        "je sais plus quel mail j'ai utilisé",
        "jsais plus mon mail",
        "je ne me rappelle plus de mon email",
        "je ne me souviens plus de mon adresse mail",
        "quelle adresse mail ai-je utilisée pour m'inscrire",
        "mail oublié",
        "retrouver mon identifiant",
    ],
)
def test_a_lost_login_address_is_a_forgotten_email(text: str) -> None:
    assert login_topic(text) == "forgotten_email"


@pytest.mark.parametrize(
    "text",
    [
        "j'ai oublié mon mot de passe",
        "c'est quoi mon identifiant",
        "je me connecte avec quoi",
        "quel identifiant pour mon fils",
        "",
    ],
)
def test_other_login_questions_are_about_the_identifier(text: str) -> None:
    assert login_topic(text) == "identifier"


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("je me connecte avec quoi ?", "identifier"),
        ("c mon mail ou mon num pr me co", "identifier"),
        ("mon fils est utilisateur, comment il se connecte ?", "identifier"),
        ("où se trouve la page de connexion ?", "identifier"),
        ("l'accès à l'espace client est payant ?", "identifier"),
        ("j'ai oublié mon identifiant", "forgotten_email"),
        ("je sais plus avec quelle adresse je me suis inscrit", "forgotten_email"),
    ],
)
def test_a_question_about_logging_in_is_answered(text: str, topic: str) -> None:
    assert login_question(text) == topic


@pytest.mark.parametrize(
    "text",
    [
        "mot de passe oublié",
        "jai oublie mon mdp",
        "j'ai oublié mon identifiant et mon mot de passe",
        "je n'arrive pas à me connecter",
        "jarrive pa a me co",
        "identifiant ou mot de passe incorrect",
        "mon compte est bloqué",
        "je veux me connecter avec mon numéro mais ça ne marche pas",
        "comment créer mon accès client ?",
        "Accès à mon espace client",
        "/recover_access",
        "",
    ],
)
def test_a_reset_or_a_failing_login_starts_the_reset(text: str) -> None:
    assert login_question(text) is None


@pytest.mark.parametrize(
    "intent",
    ["greet", "goodbye", "thank", "nlu_fallback", "bot_challenge"],
)
@pytest.mark.parametrize("entity", ["date", "date_period"])
def test_a_chit_chat_message_giving_a_date_is_an_answer(
    intent: str, entity: str
) -> None:
    assert date_answer_intent(intent, [entity], "merci, le 15 alors") == "inform"


@pytest.mark.parametrize(
    ("intent", "entities", "text"),
    [
        ("greet", [], "bonjour"),
        ("thank", ["otp_code", None], "merci 482913"),
        ("change_porting_date", ["date"], "je veux le 15"),
        ("inform", ["date"], "le 15"),
        (None, ["date"], "le 15"),
        ("greet", ["date"], '/inform{"date": "2026-12-15"}'),
    ],
)
def test_tasks_messages_without_dates_and_button_payloads_keep_their_intent(
    intent: str | None, entities: list[str | None], text: str
) -> None:
    assert date_answer_intent(intent, entities, text) is None


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("mon code 482913", f"mon code {CODE_MASK}"),
        ("482 913", CODE_MASK),
        ("le code est 482.913", f"le code est {CODE_MASK}"),
        ("482-913", CODE_MASK),
        ("code:482913.", f"code:{CODE_MASK}."),
        ("(482913)", f"({CODE_MASK})"),
        ("482913 et 123456", f"{CODE_MASK} et {CODE_MASK}"),
    ],
)
def test_one_time_codes_are_masked_however_typed(text: str, masked: str) -> None:
    assert mask_codes(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "ma commande CMD-2026-004512",
        "0612345678",
        "06 12 34 56 78",
        "abc482913",
        "482913abc",
        "1234567",
        "12345",
        "le 15/12 à 14h",
        "19,99 €",
    ],
)
def test_other_numbers_are_left_as_they_are(text: str) -> None:
    assert mask_codes(text) == text


def test_the_given_spans_are_masked_too() -> None:
    assert mask_codes("mon RIO 02PK7T2QXTB6 ok", [(8, 20)]) == f"mon RIO {CODE_MASK} ok"
    assert mask_codes("abcdef", [(4, 6), (0, 2)]) == f"{CODE_MASK}cd{CODE_MASK}"


@pytest.mark.parametrize("span", [(2, 1), (-1, 2), (0, 9), (1, 1)])
def test_spans_outside_the_text_are_ignored(span: tuple[int, int]) -> None:
    assert mask_codes("abc", [span]) == "abc"


def test_spans_and_codes_found_by_their_shape_are_masked_together() -> None:
    text = "code 482913, RIO 02PK7T2QXTB6"
    masked = mask_codes(text, [(17, 29)])
    assert masked == f"code {CODE_MASK}, RIO {CODE_MASK}"
    assert "*" not in masked  # chat widgets read stars as markdown
