"""SMS segments and the GSM-7 folding that keeps French texts short."""

from __future__ import annotations

import pytest

from bot.sms import segments, to_gsm7


@pytest.mark.parametrize(
    ("length", "expected"), [(160, 1), (161, 2), (306, 2), (307, 3)]
)
def test_gsm7_texts_take_160_then_153_characters_a_segment(length: int, expected: int):
    assert segments("a" * length) == expected


def test_one_character_outside_gsm7_makes_the_whole_text_ucs2() -> None:
    assert segments("ê" + "a" * 69) == 1
    assert segments("ê" + "a" * 70) == 2


def test_extended_characters_count_twice() -> None:
    assert segments("€" * 80) == 1
    assert segments("€" * 81) == 2


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Fête à Noël", "Fete à Noel"),
        ("reçu’", "recu'"),
        ("«\u00a0bonjour\u00a0»", '" bonjour "'),
        ("après-midi, été", "après-midi, été"),
    ],
)
def test_french_text_is_folded_into_gsm7_keeping_what_it_can(text: str, folded: str):
    assert to_gsm7(text) == folded
    assert segments(to_gsm7(text)) == 1
