"""Rasa entity extractor: the date a customer asks for, as an ISO date."""

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

from bot.clock import today
from bot.dates import requested_date
from bot.dates.periods import requested_period

DATE_ENTITY = "date"
PERIOD_ENTITY = "date_period"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class FrenchDateExtractor(GraphComponent, EntityExtractorMixin):
    """Adds one `date` entity, the date asked for, resolved against today; or,
    without a precise date, one `date_period` entity ("2026-12-21/2026-12-31")."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FrenchDateExtractor:
        """Create the extractor (it has nothing to train)."""
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        """Append the requested date of each message, if any, to its entities."""
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            # Read at each message: BOT_TODAY may pin another day in tests and demos.
            day = today()
            found = requested_date(text, day)
            if found is not None:
                entity = {
                    ENTITY_ATTRIBUTE_TYPE: DATE_ENTITY,
                    ENTITY_ATTRIBUTE_VALUE: found.value.isoformat(),
                    ENTITY_ATTRIBUTE_START: found.start,
                    ENTITY_ATTRIBUTE_END: found.end,
                }
            else:
                period = requested_period(text, day)
                if period is None:
                    continue
                entity = {
                    ENTITY_ATTRIBUTE_TYPE: PERIOD_ENTITY,
                    ENTITY_ATTRIBUTE_VALUE: period.iso(),
                    ENTITY_ATTRIBUTE_START: 0,
                    ENTITY_ATTRIBUTE_END: len(text),
                }
            message.set(
                ENTITIES,
                message.get(ENTITIES, []) + self.add_extractor_name([entity]),
                add_to_output=True,
            )
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Leave training data as it is: entities are not learnt here."""
        return training_data
