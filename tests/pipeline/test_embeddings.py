"""The sentence embeddings: the pinned bundled model, normalised vectors, meaning."""

from __future__ import annotations

import hashlib

import numpy as np

from nlu.embeddings import DIMENSIONS, MODEL_SHA256, embed, model_path


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
