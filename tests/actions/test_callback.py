"""Callback offer and form: number, half-day, booking; hours from SUPPORT_HOURS."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk.events import ConversationPaused, ConversationResumed, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.callback import (
    ActionAskCallbackNumber,
    ActionAskCallbackSlot,
    ActionCallbackSubmit,
    ValidateCallbackForm,
    offered_slots,
    slot_from_message,
)
from actions.handoff import ActionDeclineCallback, ActionOfferCallback
from bot.db import session_scope
from bot.handoff.hours import Slot, french_slot
from bot.models import Ticket
from tests.actions.trackers import MARIE, responses, run, tracker, user, verify
from tests.bot.handoff.factories import chat_ticket

PARIS = ZoneInfo("Europe/Paris")
CLEARED = [
    SlotSet(name, None)
    for name in ("callback_number", "callback_slot", "handoff_reason")
]


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 12, day, hour, tzinfo=PARIS)


SLOTS = [
    Slot(at(7, 9), at(7, 13)),
    Slot(at(7, 13), at(7, 19)),
    Slot(at(8, 9), at(8, 13)),
]


def validate(method: str, value, the_tracker=None) -> tuple[dict, list[str]]:
    dispatcher = CollectingDispatcher()
    form = ValidateCallbackForm()
    result = getattr(form, method)(value, dispatcher, the_tracker or tracker(), {})
    return result, responses(dispatcher.messages)


def callback_tickets() -> list[Ticket]:
    with session_scope() as session:
        return list(session.execute(select(Ticket).order_by(Ticket.id)).scalars())


@pytest.mark.parametrize(
    ("waiting", "response", "events"),
    [
        (True, "utter_offer_callback_unclaimed", [ConversationResumed()]),
        (False, "utter_offer_callback", []),
    ],
)
async def test_a_callback_is_offered_to_a_waiting_customer_or_out_of_hours(
    closed_hours, waiting, response, events
):
    if waiting:
        with session_scope() as session:
            chat_ticket(session)
    messages, returned = await run(ActionOfferCallback(), tracker())
    assert (responses(messages), returned) == ([response], events)


async def test_declining_keeps_a_waiting_customer_in_the_queue(closed_hours):
    with session_scope() as session:
        chat_ticket(session)
    messages, events = await run(ActionDeclineCallback(), tracker())
    assert (responses(messages), events) == (
        ["utter_keep_waiting"],
        [ConversationPaused()],
    )


async def test_declining_out_of_hours_says_when_advisors_answer(closed_hours):
    messages, events = await run(ActionDeclineCallback(), tracker())
    assert responses(messages) == ["utter_callback_declined"]
    assert messages[0]["hours"] == closed_hours.describe()
    assert events == [SlotSet("handoff_reason", None)]


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("06 12 34 56 78", "0612345678"),
        ("+33 7 45 67 89 01", "0745678901"),
        ("0612345678", "0612345678"),
        ("12345", None),
        ("", None),
        (None, None),
    ],
)
def test_a_typed_number_is_kept_when_it_is_french(migrated_url, typed, number):
    result, said = validate("validate_callback_number", typed)
    assert result == {"callback_number": number}
    assert said == ([] if number else ["utter_invalid_callback_number"])


@pytest.mark.parametrize(("verified_here", "number"), [(True, MARIE), (False, None)])
def test_the_verified_number_is_used_only_when_this_conversation_verified_it(
    migrated_url, verified_here, number
):
    verify("conv-1" if verified_here else "elsewhere")
    the_tracker = tracker(slots={"verified_msisdn": MARIE})
    result, said = validate("validate_callback_number", "verified", the_tracker)
    assert result == {"callback_number": number}
    assert said == ([] if number else ["utter_invalid_callback_number"])


async def test_the_verified_number_is_offered_masked(migrated_url):
    verify()
    messages, _ = await run(
        ActionAskCallbackNumber(), tracker(slots={"verified_msisdn": MARIE})
    )
    assert responses(messages) == ["utter_ask_callback_number_verified"]
    assert messages[0]["number"] == "06 xx xx xx 78"
    messages, _ = await run(ActionAskCallbackNumber(), tracker("another"))
    assert responses(messages) == ["utter_ask_callback_number"]


def test_an_offered_half_day_is_kept_and_another_refused(open_hours):
    key = offered_slots()[-1].key
    assert validate("validate_callback_slot", key) == ({"callback_slot": key}, [])
    assert validate("validate_callback_slot", "2020-01-06T09:00") == (
        {"callback_slot": None},
        ["utter_callback_slot_not_understood"],
    )


async def test_the_half_days_are_offered_as_buttons(open_hours):
    messages, _ = await run(ActionAskCallbackSlot(), tracker())
    slots = offered_slots()
    assert responses(messages) == ["utter_ask_callback_slot"]
    assert len(slots) == 4
    assert messages[0]["buttons"][-1] == {
        "title": french_slot(slots[-1]),
        "payload": f'/inform{{"callback_slot": "{slots[-1].key}"}}',
    }


@pytest.mark.parametrize(
    ("text", "entities", "expected"),
    [
        ("", [{"entity": "callback_slot", "value": "2026-12-07T13:00"}], SLOTS[1]),
        ('/inform{"callback_slot": "2026-12-08T09:00"}', [], SLOTS[2]),
        ("demain après-midi", [{"entity": "date", "value": "2026-12-07"}], SLOTS[1]),
        ("lundi aprem", [{"entity": "date", "value": "2026-12-07"}], SLOTS[1]),
        ("lundi matin", [{"entity": "date", "value": "2026-12-07"}], SLOTS[0]),
        ("mardi", [{"entity": "date", "value": "2026-12-08"}], SLOTS[2]),
        ("lundi", [{"entity": "date", "value": "2026-12-07"}], None),  # which half?
        ("2026-12-09T09:00", [], None),  # not offered
        ("quand vous voulez", [], None),
    ],
)
def test_a_half_day_is_read_from_a_button_or_from_words(text, entities, expected):
    message = {"text": text, "entities": entities}
    assert slot_from_message(message, SLOTS) == expected


async def test_the_half_day_is_extracted_only_when_asked(open_hours):
    key = offered_slots()[-1].key
    latest = {"text": f'/inform{{"callback_slot": "{key}"}}', "entities": []}
    form = ValidateCallbackForm()
    asked = tracker(slots={"requested_slot": "callback_slot"}, latest=latest)
    other = tracker(slots={"requested_slot": "callback_number"}, latest=latest)
    nonsense = tracker(
        slots={"requested_slot": "callback_slot"}, latest={"text": "bof"}
    )
    dispatcher = CollectingDispatcher()
    assert await form.extract_callback_slot(dispatcher, asked, {}) == {
        "callback_slot": key
    }
    assert await form.extract_callback_slot(dispatcher, other, {}) == {}
    assert await form.extract_callback_slot(dispatcher, nonsense, {}) == {
        "callback_slot": "unknown"
    }


async def test_a_booked_callback_is_a_ticket_and_the_customer_is_told(open_hours):
    slot = offered_slots()[-1]
    slots = {
        "callback_number": "0745678901",
        "callback_slot": slot.key,
        "handoff_reason": "after_fallback",
    }
    events = [user("oui rappelez-moi", "affirm")]
    messages, returned = await run(
        ActionCallbackSubmit(), tracker(events=events, slots=slots)
    )
    assert responses(messages) == ["utter_callback_booked"]
    assert (messages[0]["number"], messages[0]["slot"]) == (
        "07 45 67 89 01",
        french_slot(slot),
    )
    assert returned == CLEARED
    (ticket,) = callback_tickets()
    assert (ticket.kind, ticket.state, ticket.reason) == (
        "callback",
        "waiting",
        "after_fallback",
    )
    assert (ticket.callback_number, ticket.callback_from) == ("0745678901", slot.start)


async def test_booking_turns_the_waiting_chat_ticket_into_the_callback(open_hours):
    with session_scope() as session:
        waiting = chat_ticket(session)
    slot = offered_slots()[-1]
    slots = {"callback_number": MARIE, "callback_slot": slot.key}
    await run(ActionCallbackSubmit(), tracker(slots=slots))
    (ticket,) = callback_tickets()
    assert (ticket.id, ticket.kind, ticket.reason) == (
        waiting.id,
        "callback",
        "customer_request",
    )


@pytest.mark.parametrize(
    "slots",
    [
        {"callback_number": MARIE, "callback_slot": "2020-01-06T09:00"},
        {"callback_number": MARIE, "callback_slot": "unknown"},
        {"callback_number": None, "callback_slot": "offered"},
        {"callback_number": "", "callback_slot": "offered"},
    ],
)
async def test_nothing_is_booked_without_a_number_and_an_offered_half_day(
    open_hours, slots
):
    if slots["callback_slot"] == "offered":
        slots = {**slots, "callback_slot": offered_slots()[-1].key}
    messages, returned = await run(ActionCallbackSubmit(), tracker(slots=slots))
    assert responses(messages) == ["utter_callback_slot_not_understood"]
    assert returned == CLEARED
    assert callback_tickets() == []
