"""A message about access: a login question is answered, a reset starts the form."""

from __future__ import annotations

import asyncio

from rasa_sdk import Tracker

from actions.access import ActionStartAccess
from actions.long_tail import ActionAnswerLogin
from tests.actions.trackers import responses, run, tracker, user


def started(text: str, entities: list | None = None) -> tuple[list[str], dict]:
    """What action_start_access says for `text`, and the slots it sets."""
    events = [user(text, "recover_access", entities=entities)]
    messages, slots = asyncio.run(run(ActionStartAccess(), tracker(events=events)))
    return responses(messages), {e["name"]: e["value"] for e in slots}


def test_a_question_about_the_identifier_is_answered_without_the_form() -> None:
    said, slots = started("je me connecte avec quoi ?")
    assert said == ["utter_login_identifier"]
    assert slots == {"access_request": "question"}


def test_a_lost_login_address_gets_its_own_answer() -> None:
    said, slots = started("j'ai oublié mon identifiant")
    assert said == ["utter_login_forgotten_email"]
    assert slots["access_request"] == "question"


def test_a_forgotten_password_starts_the_reset_form_with_what_it_gives() -> None:
    said, slots = started(
        "mot de passe oublié, je suis utilisateur de la ligne 06 12 34 56 78",
        entities=[{"entity": "phone_number", "value": "0612345678"}],
    )
    assert said == []
    assert slots == {
        "access_role": "user",
        "email": None,
        "phone_number": "0612345678",
        "access_request": "reset",
    }


def in_form(loop: str, text: str) -> list[str]:
    """What action_answer_login says for `text` inside `loop`."""
    current: Tracker = tracker(events=[user(text, "recover_access")])
    current.active_loop = {"name": loop}
    messages, _ = asyncio.run(run(ActionAnswerLogin(), current))
    return responses(messages)


def test_a_login_question_inside_a_form_is_answered() -> None:
    assert in_form("porting_form", "c'est quoi mon identifiant ?") == [
        "utter_login_identifier"
    ]


def test_a_reset_asked_for_during_the_porting_form_waits() -> None:
    assert in_form("porting_form", "mot de passe oublié") == [
        "utter_recover_access_later"
    ]


def test_a_reset_asked_for_inside_the_access_form_lets_the_form_ask_again() -> None:
    assert in_form("access_form", "mot de passe oublié") == []
