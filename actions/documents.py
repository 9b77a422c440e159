"""Answer the precise question a customer asks about supporting documents, about
porting, and about the RIO."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot import porting_faq
from bot.documents import TOPIC_RESPONSES, topic_of
from bot.porting_faq import PortingTopic


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


class ActionAnswerPortingProcess(Action):
    """The answer to the porting question asked (delays, steps, cost…)."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_answer_porting_process"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Utter the topic's response, or the general porting answer."""
        topic = porting_faq.topic_of(tracker.latest_message.get("text") or "")
        if topic in (None, PortingTopic.RIO):
            response = "utter_porting_process"
        else:
            response = porting_faq.TOPIC_RESPONSES[topic]
        dispatcher.utter_message(response=response)
        return []


class ActionAnswerRio(Action):
    """What the RIO is and how to get it, or why a RIO is refused."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_answer_rio"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Utter the refused-RIO answer when that is the question."""
        topic = porting_faq.topic_of(tracker.latest_message.get("text") or "")
        refused = topic is PortingTopic.RIO_REFUSED
        dispatcher.utter_message(
            response="utter_porting_rio_refused" if refused else "utter_ask_rio"
        )
        return []
