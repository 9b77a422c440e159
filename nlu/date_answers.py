"""Rasa intent component: corrections after the FallbackClassifier.

- A message that gives a date or a period is information: "bon fin décembre alors"
  may read as a goodbye (`bot.intent_rules.date_answer_intent`).
- An out-of-scope reading below 0.5 asks to rephrase rather than claim "I cannot
  help with that" (keyboard mash).
- A fallback caused by two close intents, not by a weak best one, keeps the request
  when the other reading is mere information, or the first of two compatible
  requests (`bot.intent_rules.resolve_ambiguity`); "change or cancel?" stays unclear.
- An unclear message that ends with a farewell is a goodbye.
- A porting cancellation that says it is about the order, not the porting, is the
  order's (which the assistant only refuses).
- A bare "stop" or "laissez tomber" is a no (a form is left, nothing changed).
- A message over 2,000 characters is not read: the fallback, and no entity but
  the `message_too_long` marker.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.intent_rules import (
    bare_stop,
    closes_with_goodbye,
    date_answer_intent,
    resolve_ambiguity,
    says_not_the_porting,
    too_long,
    weak_out_of_scope,
)

TOO_LONG_MARKER = {
    "entity": "message_too_long",
    "value": "true",
    "start": 0,
    "end": 0,
    "extractor": "DateAnswerIntent",
}


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class DateAnswerIntent(GraphComponent):
    """Turns a chit-chat or unclear intent into `inform` when a date is given, and
    an ambiguous fallback into the request it most likely is."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The FallbackClassifier's threshold, to tell ambiguity from weakness."""
        return {"threshold": 0.3}

    def __init__(self, config: dict[str, Any]) -> None:
        self.threshold = float({**self.get_default_config(), **config}["threshold"])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> DateAnswerIntent:
        """Create the component (it has nothing to train)."""
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        """Relabel the messages whose date makes them an answer."""
        for message in messages:
            intent = message.get(INTENT) or {}
            entities = [e.get("entity") for e in message.get(ENTITIES) or []]
            name = intent.get(INTENT_NAME_KEY)
            new = date_answer_intent(name, entities, message.get(TEXT) or "")
            if new is None and weak_out_of_scope(name, intent.get("confidence", 1.0)):
                new = "nlu_fallback"
            if new is None and name == "nlu_fallback":
                ranking = message.get(INTENT_RANKING_KEY) or []
                new = resolve_ambiguity(
                    ranking, self.threshold, message.get(TEXT) or ""
                )
            if new is None and closes_with_goodbye(name, message.get(TEXT) or ""):
                new = "goodbye"
            if new is None and says_not_the_porting(name, message.get(TEXT) or ""):
                new = "cancel_order"
            if bare_stop(message.get(TEXT) or "") and name != "deny":
                new = "deny"
            if too_long(message.get(TEXT) or ""):
                # Over 2,000 characters: nothing in it is acted on, the customer is
                # asked for a shorter message (actions/follow_up.py). The marker lets
                # the rules say so after a first fallback too, not offer an advisor.
                message.set(ENTITIES, [TOO_LONG_MARKER], add_to_output=True)
                new = "nlu_fallback"
            if new is not None:
                message.set(
                    INTENT,
                    {INTENT_NAME_KEY: new, "confidence": intent.get("confidence", 1.0)},
                    add_to_output=True,
                )
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Leave training data as it is."""
        return training_data
