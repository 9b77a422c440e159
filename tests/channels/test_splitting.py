"""Long answers are cut at sentence boundaries into parts each channel accepts."""

from __future__ import annotations

import pytest

from bot.channels.splitting import sms_parts, split_to_length, utf16_length
from bot.sms import segments, to_gsm7

SENTENCE = "Votre demande de portabilité est bien enregistrée pour le 8 décembre."
GREETING = (
    "Bonjour, je suis l'assistant virtuel du Service Client Auchan Télécom. "
    "Je peux vous aider à modifier ou annuler la date de portabilité de votre "
    "numéro, suivre votre commande, savoir quelles pièces justificatives envoyer "
    "ou retrouver l'accès à votre espace client. Que puis-je faire pour vous ?\n\n"
    "1. Modifier ma date de portabilité\n2. Suivre ma commande\n"
    "3. Pièces justificatives\n4. Accès à mon espace client"
)


def words(parts: list[str]) -> list[str]:
    return " ".join(parts).split()


def test_a_short_answer_is_one_part():
    assert sms_parts(SENTENCE) == [SENTENCE]


def test_a_long_sms_is_cut_into_parts_of_at_most_two_segments():
    parts = sms_parts(GREETING)
    assert len(parts) == 2
    assert all(segments(part) <= 2 for part in parts)
    assert words(parts) == to_gsm7(GREETING).split()


def test_sms_parts_end_at_sentence_or_line_boundaries():
    parts = sms_parts(" ".join([SENTENCE] * 12))
    assert len(parts) > 1
    assert all(part.endswith(".") for part in parts)
    assert all(segments(part) <= 2 for part in parts)


def test_sms_are_folded_into_gsm7_so_a_segment_holds_160_characters():
    (part,) = sms_parts("Fête à Noël : « bientôt »")
    assert part == 'Fete à Noel : " bientot "'
    assert segments(part) == 1


def test_neighbouring_sentences_share_a_part_when_they_fit():
    parts = split_to_length("Un. Deux. Trois. Quatre.", 10)
    assert parts == ["Un. Deux.", "Trois.", "Quatre."]


def test_paragraphs_are_kept_together_before_sentences():
    text = "Premier. Paragraphe.\n\nSecond paragraphe."
    assert split_to_length(text, 25) == ["Premier. Paragraphe.", "Second paragraphe."]


def test_a_sentence_too_long_alone_is_cut_between_words():
    parts = split_to_length("un deux trois quatre cinq six", 10)
    assert all(len(part) <= 10 for part in parts)
    assert words(parts) == ["un", "deux", "trois", "quatre", "cinq", "six"]


def test_a_word_too_long_alone_is_cut_where_it_must():
    parts = split_to_length("x" * 25, 10)
    assert parts == ["x" * 10, "x" * 10, "x" * 5]


@pytest.mark.parametrize("limit", [1600, 2000, 4096])
def test_texts_are_cut_under_each_channel_limit(limit):
    text = "\n\n".join([" ".join([SENTENCE] * 10)] * 12)
    parts = split_to_length(text, limit)
    assert len(parts) > 1
    assert all(len(part) <= limit for part in parts)
    assert words(parts) == text.split()


def test_telegram_counts_an_emoji_as_two_units():
    assert utf16_length("ok 👍") == 5


def test_an_empty_text_has_no_part():
    assert sms_parts("  \n ") == []
