"""The transcript an agent reads: codes masked, buttons as titles, who said what."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.handoff.transcript import Line, customer_text, from_events
from bot.masking import CODE_MASK

STAMP = 1_796_630_400.25  # 2026-12-07 08:00:00.25 UTC


def user(text: str, entities=(), stamp: float = STAMP) -> dict:
    return {
        "event": "user",
        "text": text,
        "timestamp": stamp,
        "parse_data": {"intent": {"name": "inform"}, "entities": list(entities)},
    }


def bot(text: str, buttons=(), metadata=None, stamp: float = STAMP) -> dict:
    return {
        "event": "bot",
        "text": text,
        "timestamp": stamp,
        "data": {"buttons": list(buttons)},
        "metadata": metadata or {},
    }


def otp(start: int, end: int) -> dict:
    return {"entity": "otp_code", "start": start, "end": end, "value": "482913"}


@pytest.mark.parametrize(
    ("text", "entities", "masked"),
    [
        # Found by the NLU, even when the digits are spaced oddly.
        ("mon code est 48 29 13", [otp(13, 21)], f"mon code est {CODE_MASK}"),
        ("le 4 8 2 9 1 3 merci", [otp(3, 14)], f"le {CODE_MASK} merci"),
        # Not found by the NLU: six digits alone are still masked.
        ("482913", [], CODE_MASK),
        ("c'est 482 913 !", [], f"c'est {CODE_MASK} !"),
        ("code 482.913, merci", [], f"code {CODE_MASK}, merci"),
        ("123456 puis 654321", [], f"{CODE_MASK} puis {CODE_MASK}"),
    ],
)
def test_one_time_codes_are_masked_by_entity_span_and_by_pattern(
    text, entities, masked
):
    assert customer_text(text, entities) == masked


@pytest.mark.parametrize(
    "text",
    [
        "mon numéro est le 0612345678",
        "06 12 34 56 78",
        "+33 6 12 34 56 78",
        "+33612345678",
        "commande CMD-2026-004512",
        "RIO 02PK7T2QXTB6",
        "1234567",
        "le 12/12/2026 à 14h30",
    ],
)
def test_phone_numbers_order_ids_and_dates_are_not_masked(text):
    assert customer_text(text, []) == text


def test_entities_other_than_codes_or_without_a_span_are_ignored():
    entities = [
        {"entity": "phone_number", "start": 0, "end": 10, "value": "0612345678"},
        {"entity": "otp_code", "value": "482913"},
        {"entity": "otp_code", "start": 40, "end": 50},  # outside the text
    ]
    assert customer_text("0612345678 svp", entities) == "0612345678 svp"


def test_the_transcript_keeps_who_said_what_and_when_oldest_first():
    events = [
        {"event": "action", "name": "action_listen", "timestamp": STAMP},
        user("bonjour", stamp=STAMP),
        bot("Bonjour ! Que puis-je faire ?", stamp=STAMP + 1),
        {"event": "slot", "name": "x", "value": 1},
        user("mon code 482913", [otp(9, 15)], stamp=STAMP + 2),
        user("   ", stamp=STAMP + 3),
        bot("", stamp=STAMP + 4),
    ]
    at = datetime.fromtimestamp(STAMP, timezone.utc)
    assert at == datetime(2026, 12, 7, 8, 0, 0, 250000, tzinfo=timezone.utc)
    lines = from_events(events)
    assert lines == [
        Line("customer", "bonjour", at),
        Line("assistant", "Bonjour ! Que puis-je faire ?", at.replace(second=1)),
        Line("customer", f"mon code {CODE_MASK}", at.replace(second=2)),
    ]


def test_a_tapped_button_shows_as_its_title_and_an_unknown_payload_is_left_out():
    buttons = [
        {"title": "Oui", "payload": "/affirm"},
        {"title": "Parler à un conseiller", "payload": '/request_human{"a": 1}'},
    ]
    lines = from_events(
        [
            bot("Voulez-vous un conseiller ?", buttons),
            user('/request_human{"a": 1}'),
            user("/affirm"),
            user("/something_else"),  # no button offered it: left out
        ]
    )
    assert [line.text for line in lines] == [
        "Voulez-vous un conseiller ?\n[Oui]\n[Parler à un conseiller]",
        "[Parler à un conseiller]",
        "[Oui]",
    ]


def test_the_last_buttons_offered_stay_until_the_session_restarts():
    buttons = [{"title": "Le matin", "payload": "/inform_morning"}]
    lines = from_events(
        [
            bot("Quel créneau ?", buttons),
            bot("Je patiente."),  # a message without buttons keeps the offer
            user("/inform_morning"),
            {"event": "session_started"},
            user("/inform_morning"),
        ]
    )
    assert [line.text for line in lines[2:]] == ["[Le matin]"]  # then nothing


def test_an_agent_s_message_is_told_apart_by_its_metadata():
    agent_metadata = {"handoff": {"ticket": 3, "agent": "Alice"}}
    lines = from_events(
        [
            bot("Alice : je regarde votre dossier", metadata=agent_metadata),
            bot(
                "Un conseiller arrive.", metadata={"utter_action": "utter_agent_joined"}
            ),
        ]
    )
    assert [(line.author, line.text) for line in lines] == [
        ("agent", "Alice : je regarde votre dossier"),
        ("assistant", "Un conseiller arrive."),
    ]


def test_an_event_without_a_timestamp_is_dated_now():
    before = datetime.now(timezone.utc)
    (line,) = from_events([{"event": "user", "text": "allo"}])
    assert before <= line.at <= datetime.now(timezone.utc)
