"""The blended intent classifier: trains, blends DIET's ranking, survives a reload."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.blended_intent import UNKNOWN_WORDS_FACTOR, BlendedIntentClassifier
from nlu.embeddings import DIMENSIONS

EXAMPLES = {
    "greet": ["bonjour", "salut", "bonsoir", "coucou", "bjr"],
    "ask_rio": ["c'est quoi le rio", "code rio", "obtenir mon rio", "mon rio svp"],
    "cancel_porting": ["annuler la portabilité", "stop portage", "annuler le portage"],
}


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


def _context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


def _trained(storage: LocalModelStorage, **config: object) -> BlendedIntentClassifier:
    classifier = BlendedIntentClassifier.create(
        {**BlendedIntentClassifier.get_default_config(), **config},
        storage,
        Resource("blend"),
        _context(),
    )
    data = TrainingData(
        [
            Message(data={TEXT: text, INTENT: intent})
            for intent, texts in EXAMPLES.items()
            for text in texts
        ]
    )
    classifier.train(data)
    return classifier


def _classify(classifier: BlendedIntentClassifier, message: Message) -> dict:
    classifier.process([message])
    return message.get(INTENT)


def test_the_linear_model_alone_recognises_accentless_variants(storage) -> None:
    classifier = _trained(storage, diet_weight=0.0)
    assert (
        _classify(classifier, Message(data={TEXT: "annuler la portabilite"}))["name"]
        == "cancel_porting"
    )


def test_a_confident_diet_ranking_moves_the_blend(storage) -> None:
    classifier = _trained(storage, diet_weight=0.9)
    diet_says = [{"name": "ask_rio", "confidence": 1.0}]
    message = Message(data={TEXT: "bonjour", INTENT_RANKING_KEY: diet_says})
    assert _classify(classifier, message)["name"] == "ask_rio"


def test_without_diet_the_linear_ranking_sums_to_one_and_is_sorted(storage) -> None:
    classifier = _trained(storage)
    message = Message(data={TEXT: "salut"})
    classifier.process([message])
    confidences = [item["confidence"] for item in message.get(INTENT_RANKING_KEY)]
    assert confidences == sorted(confidences, reverse=True)
    assert sum(confidences) == pytest.approx(1.0, abs=1e-6)


def test_a_reloaded_classifier_gives_the_same_answer(storage) -> None:
    trained = _trained(storage)
    before = _classify(trained, Message(data={TEXT: "je veux mon code rio"}))
    loaded = BlendedIntentClassifier.load(
        trained.config, storage, Resource("blend"), _context()
    )
    after = _classify(loaded, Message(data={TEXT: "je veux mon code rio"}))
    assert after == before


def test_the_embeddings_are_read_with_their_weight_and_zero_turns_them_off(
    storage,
) -> None:
    with_embeddings = _trained(storage, embedding_weight=2.0)
    without = _trained(storage, embedding_weight=0.0)
    texts = ["bonjour", "code rio"]
    assert with_embeddings._matrix(texts).shape[1] == (
        without._matrix(texts).shape[1] + DIMENSIONS
    )


def test_a_message_of_unknown_words_gets_confidences_under_any_fallback(
    storage,
) -> None:
    classifier = _trained(storage)
    mash = Message(data={TEXT: "zblorg kwix pataf"})
    known = Message(data={TEXT: "mon code rio"})
    classifier.process([mash, known])
    ranking = mash.get(INTENT_RANKING_KEY)
    assert ranking[0]["confidence"] <= UNKNOWN_WORDS_FACTOR
    assert sum(item["confidence"] for item in ranking) == pytest.approx(
        UNKNOWN_WORDS_FACTOR
    )
    assert known.get(INTENT)["confidence"] > UNKNOWN_WORDS_FACTOR
