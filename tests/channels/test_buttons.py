"""Buttons on text-only channels: a numbered list, and number replies read back."""

from __future__ import annotations

import pytest

from bot.channels.buttons import Choice, choices_from, chosen_payload, numbered

BUTTONS = [
    {"title": "Oui, je confirme", "payload": "/affirm"},
    {"title": "Non", "payload": "/deny"},
]


def test_buttons_are_listed_by_number_under_the_text():
    text = numbered("Vous confirmez ?", choices_from(BUTTONS))
    assert text == "Vous confirmez ?\n\n1. Oui, je confirme\n2. Non"


def test_a_second_list_in_the_same_answer_goes_on_numbering():
    text = numbered("Et ensuite ?", choices_from(BUTTONS), start=3)
    assert text.endswith("3. Oui, je confirme\n4. Non")


def test_a_list_without_text_is_just_the_list():
    assert numbered("", choices_from(BUTTONS)) == "1. Oui, je confirme\n2. Non"


@pytest.mark.parametrize(
    ("reply", "payload"),
    [
        ("1", "/affirm"),
        ("2", "/deny"),
        (" 2 ", "/deny"),
        ("2.", "/deny"),
        ("1)", "/affirm"),
    ],
)
def test_a_number_reply_becomes_the_payload_of_that_button(reply, payload):
    assert chosen_payload(reply, choices_from(BUTTONS)) == payload


@pytest.mark.parametrize("reply", ["0", "3", "12", "2 lignes", "deux", "", "-1"])
def test_anything_but_the_number_of_a_button_is_left_as_it_is(reply):
    assert chosen_payload(reply, choices_from(BUTTONS)) is None


def test_numbers_mean_nothing_when_no_button_was_offered():
    assert chosen_payload("1", []) is None


def test_rendered_buttons_read_back_round_trip():
    choices = choices_from(BUTTONS)
    lines = numbered("Vous confirmez ?", choices).splitlines()[2:]
    for line in lines:
        number, _, title = line.partition(". ")
        choice = next(c for c in choices if c.title == title)
        assert chosen_payload(number, choices) == choice.payload


def test_stored_choices_read_back_as_the_same_choices():
    choices = [Choice("Oui", "/affirm"), Choice("Non", "/deny")]
    assert choices_from([choice.to_dict() for choice in choices]) == choices


def test_a_button_without_payload_is_not_offered():
    assert choices_from([{"title": "Lien"}, {"payload": "/deny"}]) == [
        Choice("/deny", "/deny")
    ]
