"""Starting a porting request: an order number given for the line, the slot."""

from __future__ import annotations

import asyncio
from datetime import date

from rasa_sdk.executor import CollectingDispatcher

from actions.porting import ActionStartPortingTask
from actions.porting_form import ValidatePortingForm
from bot.config import DEFAULT_FIXTURE
from bot.db import session_scope
from bot.seed import load_fixture, seed
from tests.actions.trackers import MARIE, responses, run, tracker, user


def extracted(order_id: str) -> tuple[dict, list[str]]:
    with session_scope() as session:
        seed(session, load_fixture(DEFAULT_FIXTURE), date.today())
    entities = [{"entity": "order_id", "value": order_id}]
    asked = tracker(
        events=[user(order_id, "nlu_fallback", entities=entities)],
        slots={"requested_slot": "phone_number", "porting_task": "order"},
    )
    dispatcher = CollectingDispatcher()
    slots = asyncio.run(
        ValidatePortingForm().extract_phone_number(dispatcher, asked, {})
    )
    return slots, [m["response"] for m in dispatcher.messages]


def test_the_code_goes_to_the_line_of_the_order_given(migrated_url: str) -> None:
    assert extracted("CMD-2026-004512") == (
        {"phone_number": MARIE, "order_id": "CMD-2026-004512"},
        [],
    )


def test_an_unknown_order_is_said_unknown_and_the_line_asked_again(
    migrated_url: str,
) -> None:
    assert extracted("CMD-2026-999999") == ({}, ["utter_order_not_found"])


def test_the_slot_is_refused_to_a_change_but_explained_to_a_status_question() -> None:
    change = tracker(events=[user("mettez-la l'après-midi", "change_porting_date")])
    said, _ = asyncio.run(run(ActionStartPortingTask(), change))
    assert responses(said) == ["utter_porting_slot"]
    status = tracker(
        events=[user("à quel créneau est prévue ma portabilité ?", "ask_porting_date")]
    )
    said, events = asyncio.run(run(ActionStartPortingTask(), status))
    # How the slot is known, and the status request goes on (no refusal).
    assert responses(said) == ["utter_porting_slot"]
    assert not any(e.get("name") == "last_refusal" for e in events)
    assert {"event": "slot", "name": "porting_task", "value": "status"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]
