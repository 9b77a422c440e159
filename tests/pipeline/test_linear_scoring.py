"""The intent scorer gives scikit-learn's probabilities without its per-call checks
(`nlu.linear_scoring`)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from nlu.blended_intent import feature_matrix, ngram_features
from nlu.linear_scoring import LinearScorer

EXAMPLES = {
    "greet": ["bonjour", "salut", "bonsoir", "coucou", "bjr", "Bonjour à vous"],
    "ask_rio": ["c'est quoi le rio", "code RIO", "obtenir mon rio", "mon rio svp"],
    "cancel_porting": ["annuler la portabilité", "stop portage", "annuler le portage"],
    "thank": ["merci", "merci beaucoup", "super, merci bien !"],
}
# Unseen words, repeated n-grams, accents, nothing at all, a long message.
MESSAGES = [
    "bonjour bonjour bonjour",
    "Je veux ANNULER ma portabilité, merci",
    "rio rio",
    "zblorg kwix",
    "",
    "   ",
    "é" * 50,
    "salut, c'est quoi le code rio ? " * 12,
]


def _fitted(weight: float, intents: dict[str, list[str]] = EXAMPLES):
    texts = [text for examples in intents.values() for text in examples]
    labels = [intent for intent, examples in intents.items() for _ in examples]
    features = ngram_features([1, 2], [2, 5])
    classifier = LogisticRegression(C=20.0, max_iter=5000)
    classifier.fit(feature_matrix(features, texts, weight, fit=True), labels)
    return features, classifier


@pytest.mark.parametrize("weight", [2.0, 0.0])
def test_the_probabilities_are_scikit_learns(weight: float) -> None:
    features, classifier = _fitted(weight)
    scorer = LinearScorer(features, classifier, weight)
    expected = classifier.predict_proba(feature_matrix(features, MESSAGES, weight))
    assert scorer.classes == list(classifier.classes_)
    np.testing.assert_allclose(scorer.probabilities(MESSAGES), expected, atol=1e-9)


def test_one_message_at_a_time_scores_as_in_a_batch() -> None:
    features, classifier = _fitted(2.0)
    scorer = LinearScorer(features, classifier, 2.0)
    batch = scorer.probabilities(MESSAGES)
    for row, message in zip(batch, MESSAGES, strict=True):
        np.testing.assert_allclose(scorer.probabilities([message])[0], row, atol=1e-9)


def test_a_model_fitted_with_the_embedding_is_not_scored_without_it() -> None:
    features, classifier = _fitted(2.0)
    with pytest.raises(ValueError, match="384 coefficients left"):
        LinearScorer(features, classifier, 0.0)


def test_a_two_intent_model_is_refused() -> None:
    two = {name: EXAMPLES[name] for name in ("greet", "thank")}
    features, classifier = _fitted(0.0, two)
    with pytest.raises(ValueError, match="multinomial"):
        LinearScorer(features, classifier, 0.0)
