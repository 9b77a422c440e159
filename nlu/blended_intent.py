"""Intent classifier blending DIET's ranking with a TF-IDF logistic regression.

Measured on this project's data (README, "Understanding"): the linear model on word
and character n-grams (accents folded) generalises better than DIET alone on a few
thousand examples, and a weighted mean of both is better than either. The component
runs after DIET, reads its full ranking, and replaces the intent with the blend.
The linear model reads identifiers and dates as placeholder words
(`bot.intent_text`): 5-fold cross-validation on data/nlu.yml gave accuracy 0.896
against 0.887 on the raw text, `inform` F1 0.876 against 0.810.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from bot.intent_text import masked_for_intent

logger = logging.getLogger(__name__)
MODEL_FILE = "linear_intent.skops"
# The fitted TF-IDF keeps its idf as a sparse diagonal matrix: a plain data type.
TRUSTED_TYPES = ["scipy.sparse._csr.csr_matrix"]


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class BlendedIntentClassifier(GraphComponent, IntentClassifier):
    """Blend DIET's intent ranking with a linear model's probabilities."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Weights and model settings; `diet_weight` 0 ignores DIET."""
        return {
            "diet_weight": 0.3,
            "C": 20.0,
            "word_ngrams": [1, 2],
            "char_ngrams": [2, 5],
            "ranking_length": 10,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Pipeline | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> BlendedIntentClassifier:
        """Create an untrained classifier."""
        return cls(config, model_storage, resource)

    def _new_model(self) -> Pipeline:
        def tfidf(analyzer: str, ngrams: list[int]) -> TfidfVectorizer:
            return TfidfVectorizer(
                analyzer=analyzer,
                ngram_range=tuple(ngrams),
                strip_accents="unicode",
                sublinear_tf=True,
            )

        features = FeatureUnion(
            [
                ("words", tfidf("word", self.config["word_ngrams"])),
                ("chars", tfidf("char_wb", self.config["char_ngrams"])),
            ]
        )
        classifier = LogisticRegression(C=self.config["C"], max_iter=5000)
        return Pipeline([("features", features), ("classifier", classifier)])

    def train(self, training_data: TrainingData) -> Resource:
        """Fit the linear model on the intent examples and persist it."""
        examples = [e for e in training_data.intent_examples if e.get(TEXT)]
        if not examples:
            return self._resource
        self.model = self._new_model()
        self.model.fit(
            [masked_for_intent(e.get(TEXT)) for e in examples],
            [e.get(INTENT) for e in examples],
        )
        self.persist()
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        """Set each message's intent and ranking from the blend."""
        if self.model is None:
            return messages
        texts = [masked_for_intent(message.get(TEXT) or "") for message in messages]
        probabilities = self.model.predict_proba(texts)
        classes = list(self.model.classes_)
        for message, linear in zip(messages, probabilities, strict=True):
            # Without a DIET ranking on the message, the linear model answers alone.
            weight = (
                float(self.config["diet_weight"])
                if message.get(INTENT_RANKING_KEY)
                else 0.0
            )
            blended = (1 - weight) * linear + weight * _diet_vector(message, classes)
            ranking = sorted(
                (
                    {"name": name, "confidence": float(p)}
                    for name, p in zip(classes, blended, strict=True)
                ),
                key=lambda item: -item["confidence"],
            )
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(
                INTENT_RANKING_KEY,
                ranking[: self.config["ranking_length"]],
                add_to_output=True,
            )
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Leave training data as it is."""
        return training_data

    def persist(self) -> None:
        """Write the fitted model with skops (no pickle)."""
        import skops.io as sio

        with self._model_storage.write_to(self._resource) as directory:
            sio.dump(self.model, directory / MODEL_FILE)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> BlendedIntentClassifier:
        """Load the fitted model, refusing any type skops does not trust."""
        import skops.io as sio

        try:
            with model_storage.read_from(resource) as directory:
                path = directory / MODEL_FILE
                untrusted = set(sio.get_untrusted_types(file=path)) - set(TRUSTED_TYPES)
                if untrusted:
                    raise ValueError(f"untrusted types in {path}: {sorted(untrusted)}")
                model = sio.load(path, trusted=TRUSTED_TYPES)
        except ValueError as error:
            logger.warning(f"No trained blended intent classifier: {error}")
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, model)


def _diet_vector(message: Message, classes: list[str]) -> np.ndarray:
    """DIET's confidences in the linear model's class order (0 where absent)."""
    confidences = {
        item["name"]: item["confidence"]
        for item in message.get(INTENT_RANKING_KEY) or []
    }
    return np.array([confidences.get(name, 0.0) for name in classes])
