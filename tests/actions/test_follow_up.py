"""A message read in the light of the assistant's last answer."""

from __future__ import annotations

import asyncio

from rasa_sdk import Tracker

from actions.documents import ActionAnswerRio
from actions.follow_up import ActionUnderstandInContext
from tests.actions.trackers import bot, responses, run, tracker, user


def answered(previous: str, text: str, intent: str) -> list[str]:
    """The responses `text` gets right after the assistant said `previous`."""
    events = [
        user("ma sim est verrouillée", "sim_unlock"),
        bot("…", previous),
        user(text, intent),
    ]
    messages, _ = asyncio.run(run(ActionUnderstandInContext(), tracker(events=events)))
    return responses(messages)


def test_a_complaint_after_the_sim_lock_answer_is_a_follow_up() -> None:
    assert answered("utter_sim_unlock", "mais jlai achete chez vous", "complain") == [
        "utter_sim_unlock_bought_here"
    ]


def test_a_complaint_the_last_answer_does_not_explain_is_acknowledged() -> None:
    assert answered("utter_greet", "c'est honteux, j'attends", "complain") == [
        "utter_complaint"
    ]


def test_an_out_of_scope_message_without_context_says_so() -> None:
    assert answered("utter_greet", "quel temps fait-il", "out_of_scope") == [
        "utter_out_of_scope"
    ]


def awaiting_code(text: str, intent: str, entities: list | None = None) -> Tracker:
    """The porting form waiting for the SMS code, and the customer's message."""
    the_tracker = tracker(
        events=[user(text, intent, entities=entities)],
        slots={"requested_slot": "otp_code"},
    )
    the_tracker.active_loop = {"name": "porting_form"}
    return the_tracker


def test_a_rio_given_for_the_code_gets_told_which_code_is_wanted() -> None:
    rio = [{"entity": "rio", "value": "02PK7T2QXTB6"}]
    asked = awaiting_code("Le code c'est mon RIO ? 02PK7T2QXTB6", "nlu_fallback", rio)
    messages, _ = asyncio.run(run(ActionUnderstandInContext(), asked))
    assert responses(messages) == ["utter_code_is_not_the_rio"]
    messages, _ = asyncio.run(run(ActionAnswerRio(), asked))
    assert responses(messages) == ["utter_code_is_not_the_rio"]


def test_the_rio_question_outside_the_code_step_gets_the_rio_answer() -> None:
    asked = tracker(events=[user("c'est quoi le RIO ?", "ask_rio")])
    messages, _ = asyncio.run(run(ActionAnswerRio(), asked))
    assert responses(messages) == ["utter_ask_rio"]


def test_a_rio_given_at_another_step_leaves_the_question_to_the_form() -> None:
    rio = [{"entity": "rio", "value": "02PK7T2QXTB6"}]
    asked = awaiting_code("mon RIO : 02PK7T2QXTB6", "inform", rio)
    asked.slots["requested_slot"] = "requested_date"
    messages, _ = asyncio.run(run(ActionUnderstandInContext(), asked))
    assert messages == []


def at_confirmation(text: str, intent: str) -> Tracker:
    """The porting form asking to confirm a change, and the customer's message."""
    the_tracker = tracker(
        events=[user(text, intent)],
        slots={"requested_slot": "confirmation", "porting_task": "change"},
    )
    the_tracker.active_loop = {"name": "porting_form"}
    return the_tracker


def test_a_yes_with_thanks_at_the_confirmation_is_left_to_the_form() -> None:
    for text, intent in [("Oui je confirme, merci", "thank"), ("oui", "nlu_fallback")]:
        messages, events = asyncio.run(
            run(ActionUnderstandInContext(), at_confirmation(text, intent))
        )
        assert (messages, events) == ([], [])


def test_plain_thanks_inside_the_form_are_welcomed() -> None:
    messages, _ = asyncio.run(
        run(ActionUnderstandInContext(), at_confirmation("merci", "thank"))
    )
    assert responses(messages) == ["utter_you_are_welcome"]


def test_a_complaint_after_a_porting_answer_is_acknowledged_not_answered() -> None:
    said = answered("utter_porting_delays", "ça fait 3 jours que j'attends", "complain")
    assert said == ["utter_complaint"]


def test_a_porting_question_read_as_information_is_answered() -> None:
    text = "Je serai au Maroc le jour de ma portabilité, le 14. C'est gênant ?"
    assert answered("utter_greet", text, "inform") == ["utter_porting_abroad"]


def test_information_without_a_question_asks_what_to_do() -> None:
    assert answered("utter_greet", "bon fin décembre alors", "inform") == [
        "utter_inform_without_context"
    ]


def test_a_message_too_long_to_read_is_answered_so() -> None:
    assert answered("utter_greet", "blabla " * 400, "nlu_fallback") == [
        "utter_message_too_long"
    ]


def test_an_unclear_message_asking_a_precise_porting_question_is_answered() -> None:
    text = "le jour du transfert de numéro mon tel capte plus le réseau. c normal ?"
    assert answered("utter_greet", text, "nlu_fallback") == ["utter_porting_no_network"]


def test_an_order_number_given_for_the_line_is_left_to_the_form() -> None:
    order = [{"entity": "order_id", "value": "CMD-2026-004512"}]
    asked = awaiting_code("CMD-2026-004512", "nlu_fallback", order)
    asked.slots["requested_slot"] = "phone_number"
    messages, events = asyncio.run(run(ActionUnderstandInContext(), asked))
    assert (messages, events) == ([], [])
