"""Answer the precise question a customer asks about supporting documents, about
porting, and about the RIO."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.follow_up import (
    family_of_last_answer,
    follow_up_response,
    rio_instead_of_code,
)
from actions.porting import start_task
from bot import porting_faq
from bot.documents import TOPIC_RESPONSES, DocumentTopic, topics_of
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
        topics = topics_of(tracker.latest_message.get("text") or "")
        topic = topics[0] if topics else None
        if topic is DocumentTopic.ALREADY_SENT and tracker.active_loop_name is None:
            # "Vous avez reçu mes papiers ?": the order tells where the check stands.
            dispatcher.utter_message(response="utter_documents_already_sent")
            events = start_task(dispatcher, tracker, "order_status")
            return [*events, FollowupAction("porting_form")]
        for response in [TOPIC_RESPONSES[t] for t in topics] or ["utter_ask_documents"]:
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
        text = tracker.latest_message.get("text") or ""
        topic = porting_faq.topic_of(text)
        if topic is not None and topic is not PortingTopic.RIO:
            response = porting_faq.TOPIC_RESPONSES[topic]
        else:
            # "Et si elle est périmée ?" after a documents answer: its follow-up.
            family = family_of_last_answer(tracker)
            response = follow_up_response(text, family) or "utter_porting_process"
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
        """Utter the refused-RIO answer when that is the question; say the SMS
        code is wanted when the RIO comes while it is awaited."""
        if rio_instead_of_code(tracker):
            dispatcher.utter_message(response="utter_code_is_not_the_rio")
            return []
        topic = porting_faq.topic_of(tracker.latest_message.get("text") or "")
        refused = topic is PortingTopic.RIO_REFUSED
        dispatcher.utter_message(
            response="utter_porting_rio_refused" if refused else "utter_ask_rio"
        )
        return []
