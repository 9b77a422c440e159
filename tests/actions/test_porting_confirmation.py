"""What the porting form reads when the classifier hesitates: the yes or no to
"Vous confirmez … ?", and a cancellation said to confirm one."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.porting import ActionCancelOrderInFlow, ActionPortingInterrupt
from actions.porting_form import ValidatePortingForm
from tests.actions.trackers import run, tracker, user


def extracted(text: str, intent: str, task: str = "change") -> dict:
    message = user(text, intent)
    at_confirmation = tracker(
        events=[message],
        slots={"requested_slot": "confirmation", "porting_task": task},
    )
    return asyncio.run(
        ValidatePortingForm().extract_confirmation(
            CollectingDispatcher(), at_confirmation, {}
        )
    )


@pytest.mark.parametrize(
    ("text", "intent", "answer"),
    [
        ("Oui, je confirme, merci beaucoup", "thank", True),
        ("non merci", "thank", False),
        ("oui", "nlu_fallback", True),
    ],
)
def test_a_yes_or_no_read_as_thanks_or_unsure_answers(text, intent, answer) -> None:
    assert extracted(text, intent) == {"confirmation": answer}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("oui mais pourquoi ?", "ask_why"),
        ("ok mais c'est nul", "complain"),
        ("oui, plutôt annuler", "cancel_porting"),
        ("merci", "thank"),
    ],
)
def test_a_question_a_complaint_or_a_request_is_never_a_yes(text, intent) -> None:
    assert extracted(text, intent) == {}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("oui, j'annule quand même", "cancel_order"),
        ("je confirme l'annulation", "cancel_order"),
        ("annulez", "cancel_porting"),
    ],
)
def test_a_cancellation_said_to_confirm_one_confirms_it(text, intent) -> None:
    assert extracted(text, intent, "cancel") == {"confirmation": True}


@pytest.mark.parametrize(
    ("text", "intent", "task"),
    [
        ("oui mais annulez plutôt ma commande", "cancel_order", "cancel"),
        ("oui, j'annule", "cancel_order", "change"),
        ("je ne sais pas si j'annule", "cancel_porting", "cancel"),
    ],
)
def test_a_cancellation_confirms_only_this_one_and_only_with_a_yes(
    text, intent, task
) -> None:
    assert extracted(text, intent, task) == {}


@pytest.mark.parametrize(
    ("action", "intent"),
    [
        (ActionPortingInterrupt(), "cancel_porting"),
        (ActionCancelOrderInFlow(), "cancel_order"),
    ],
)
def test_annulez_said_to_confirm_a_cancellation_does_not_leave_the_form(
    action, intent
) -> None:
    confirming = tracker(
        events=[user("annulez", intent)],
        slots={"requested_slot": "confirmation", "porting_task": "cancel"},
    )
    messages, events = asyncio.run(run(action, confirming))
    assert messages == []
    assert {"event": "slot", "name": "porting_interruption"}.items() <= events[
        0
    ].items()
    assert events[0]["value"] in ("switch", "resume")


def test_annulez_during_a_change_leaves_the_form() -> None:
    changing = tracker(
        events=[user("annulez", "cancel_porting")],
        slots={"requested_slot": "confirmation", "porting_task": "change"},
    )
    messages, events = asyncio.run(run(ActionPortingInterrupt(), changing))
    assert [m["response"] for m in messages] == ["utter_form_stopped"]
    assert events[-1]["value"] == "stop"
