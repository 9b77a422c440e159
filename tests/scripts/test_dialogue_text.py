"""Folding texts, matching alternatives, finding buttons (scripts/dialogue_eval)."""

from __future__ import annotations

from scripts.dialogue_eval.text import (
    alternatives,
    answer_pieces,
    button_payload,
    excerpt,
    find_button,
    fold,
    item_matches,
    matching_piece,
)

BUTTONS = [
    {"title": "Oui, je confirme", "payload": "/affirm"},
    {"title": "Non", "payload": "/deny"},
    {"title": "Élargir la recherche", "payload": "/widen"},
]


def test_folding_drops_case_accents_and_repeated_whitespace():
    assert fold("  Samedi   19\u00a0DÉCEMBRE\n2026 ") == "samedi 19 decembre 2026"


def test_folding_takes_typographic_apostrophes_and_ligatures_as_plain_letters():
    assert fold("l’après-midi, cœur") == "l'apres-midi, coeur"


def test_an_item_splits_into_its_alternatives():
    assert alternatives("48 heures | 48 h|") == ["48 heures", "48 h"]


def test_an_alternative_matches_without_accents():
    assert item_matches("samedi 19 decembre", ["Le samedi 19 décembre 2026, le matin."])


def test_an_alternative_matches_ignoring_case_and_repeated_spaces():
    assert item_matches("RIO   3179", ["Appelez le 3179 :\n  votre rio 3179 arrive."])
    assert item_matches("rio 3179", ["Votre RIO\u00a0 3179"])


def test_any_one_alternative_is_enough():
    assert item_matches("48 heures|48 h", ["sous 48 h ouvrées"])


def test_an_item_matches_nothing_when_no_alternative_appears():
    assert not item_matches("annul", ["Votre portabilité est prévue le 14 décembre."])


def test_the_matching_piece_is_the_answer_that_contains_the_item():
    pieces = ["Bonjour", "La portabilité est annulée."]
    assert matching_piece("annul", pieces) == "La portabilité est annulée."
    assert matching_piece("3179", pieces) is None


def test_answer_pieces_are_the_texts_and_the_button_titles():
    messages = [{"text": "Vous confirmez ?", "buttons": BUTTONS[:2]}, {"image": "x"}]
    assert answer_pieces(messages) == ["Vous confirmez ?", "Oui, je confirme", "Non"]


def test_a_button_is_found_by_the_start_of_its_title_without_case_or_accents():
    assert find_button(BUTTONS, "oui") is BUTTONS[0]
    assert find_button(BUTTONS, "elargir") is BUTTONS[2]


def test_a_button_is_found_by_its_one_based_position():
    assert find_button(BUTTONS, 2) is BUTTONS[1]


def test_no_button_is_found_for_a_missing_title_or_position():
    assert find_button(BUTTONS, "Peut-être") is None
    assert find_button(BUTTONS, 4) is None
    assert find_button([], "Oui") is None


def test_a_title_that_only_contains_the_text_does_not_match():
    assert find_button(BUTTONS, "confirme") is None


def test_clicking_sends_the_payload_or_else_the_title():
    assert button_payload(BUTTONS[0]) == "/affirm"
    assert button_payload({"title": "Mardi 15"}) == "Mardi 15"


def test_an_excerpt_is_one_line_cut_to_its_limit():
    assert excerpt("a\n\nb") == "a b"
    assert excerpt("x" * 50, 10) == "x" * 9 + "…"
