"""The sentence embeddings: the pinned bundled model, normalised vectors, meaning."""

from __future__ import annotations

import hashlib

import numpy as np

from nlu.embeddings import (
    DIMENSIONS,
    EMBEDDED_CHARS,
    MODEL_SHA256,
    embed,
    head,
    model_path,
)


def test_the_bundled_model_file_is_the_pinned_one() -> None:
    digest = hashlib.sha256(model_path().read_bytes()).hexdigest()
    assert digest == MODEL_SHA256


def test_each_text_gets_one_normalised_vector() -> None:
    vectors = embed(["bonjour", "je veux changer ma date de portabilité"])
    assert vectors.shape == (2, DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)


def test_no_text_gives_an_empty_matrix() -> None:
    assert embed([]).shape == (0, DIMENSIONS)


def test_paraphrases_are_closer_than_unrelated_requests() -> None:
    change, paraphrase, other = embed(
        [
            "je voudrais décaler la date de ma portabilité",
            "je veux changer la date de ma portabilité",
            "quel temps fait-il à Paris demain ?",
        ]
    )
    assert change @ paraphrase > change @ other


def test_only_a_long_messages_head_is_embedded() -> None:
    start = "je voudrais changer la date de ma portabilité car je pars en vacances "
    long_text = start * 30  # about 2,000 characters
    cut = head(long_text)
    assert len(cut) <= EMBEDDED_CHARS and long_text.startswith(cut)
    assert not cut.endswith(" ") and long_text[len(cut)] == " "  # after a whole word
    assert np.array_equal(embed([long_text]), embed([cut]))
    # one text alone and the same text in a batch: the same head
    assert np.allclose(embed([long_text, "bonjour"])[0], embed([cut])[0], atol=1e-5)


def test_messages_as_long_as_training_examples_are_embedded_whole() -> None:
    text = "a" * EMBEDDED_CHARS
    assert head(text) == text
    assert head("x" * (EMBEDDED_CHARS + 50)) == "x" * EMBEDDED_CHARS  # no space: cut
