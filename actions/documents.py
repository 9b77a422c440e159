"""Answer the precise question a customer asks about supporting documents."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.documents import TOPIC_RESPONSES, topic_of


class ActionAnswerDocuments(Action):
    """The answer for the question's topic, or the general documents answer."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_answer_documents"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Utter the topic's response, or the general one when none is recognised."""
        topic = topic_of(tracker.latest_message.get("text") or "")
        response = TOPIC_RESPONSES[topic] if topic else "utter_ask_documents"
        dispatcher.utter_message(response=response)
        return []
