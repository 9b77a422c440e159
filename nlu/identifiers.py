"""Rasa entity extractor: phone numbers, order ids, e-mails, RIO, one-time codes."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.normalize import find_entities


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class IdentifierExtractor(GraphComponent, EntityExtractorMixin):
    """Adds the identifiers found by `bot.normalize` with their normalised values."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> IdentifierExtractor:
        """Create the extractor (it has nothing to train)."""
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        """Append the identifiers of each message to its entities."""
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            found = [
                {
                    ENTITY_ATTRIBUTE_TYPE: item.entity,
                    ENTITY_ATTRIBUTE_VALUE: item.value,
                    ENTITY_ATTRIBUTE_START: item.start,
                    ENTITY_ATTRIBUTE_END: item.end,
                }
                for item in find_entities(text)
            ]
            message.set(
                ENTITIES,
                message.get(ENTITIES, []) + self.add_extractor_name(found),
                add_to_output=True,
            )
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Leave training data as it is: entities are not learnt here."""
        return training_data
