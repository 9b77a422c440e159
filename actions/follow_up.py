"""A message the classifier did not understand, read in the light of the last answer.

"Il fait combien de caractères ?" after the RIO, "et mes contacts ?" after the
porting steps, "toujours rien reçu" while the code is awaited: a follow-up question
gets the answer of its topic. Only when the context gives none does the two-stage
fallback go on (rephrase, then the offer of an advisor).
"""

from __future__ import annotations

import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.long_tail import last_turn_responses
from bot import porting_faq
from bot.dates.lexicon import fold
from bot.documents import TOPIC_RESPONSES as DOCUMENT_RESPONSES
from bot.documents import topic_of as document_topic
from bot.login_help import login_topic

# "Je n'ai rien reçu", "toujours pas de SMS": said while the code is awaited.
_NO_CODE = re.compile(
    r"\b(rien (re)?c?u|pas (re)?c?u|toujours (rien|pas)|tjr?s? (rien|pas)|"
    r"arrive pas|pas de (sms|code|message)|aucun (sms|code|message))"
)
_BOUGHT_HERE = re.compile(r"\b(chez vous|achete chez|achet\w* ici|chez auchan)\b")


# What a complaint or an out-of-scope message gets when the context explains nothing.
WITHOUT_CONTEXT = {"complain": "utter_complaint", "out_of_scope": "utter_out_of_scope"}


def family_of_last_answer(tracker: Tracker) -> str | None:
    """Which kind of answer the assistant just gave (rio, porting, documents…)."""
    for name in last_turn_responses(tracker):
        if name in ("utter_ask_rio", "utter_porting_rio_refused"):
            return "rio"
        if name.startswith("utter_porting_") or name == "utter_porting_process":
            return "porting"
        if name.startswith("utter_documents_") or name == "utter_ask_documents":
            return "documents"
        if name == "utter_sim_unlock":
            return "sim_unlock"
        if name.startswith("utter_login_"):
            return "login"
    return None


def follow_up_response(text: str, family: str | None) -> str | None:
    """The response a follow-up question gets after an answer of `family`."""
    if family == "rio":
        return "utter_ask_rio"  # its length, the free 3179 call, from which line
    if family == "porting":
        topic = porting_faq.topic_of(text)
        return porting_faq.TOPIC_RESPONSES[topic] if topic else None
    if family == "documents":
        topic = document_topic(text)
        return DOCUMENT_RESPONSES[topic] if topic else None
    if family == "sim_unlock" and _BOUGHT_HERE.search(fold(text)):
        return "utter_sim_unlock_bought_here"
    if family == "login":
        return f"utter_login_{login_topic(text)}"
    return None


def awaits_code(tracker: Tracker) -> bool:
    """Tell whether the porting form is waiting for the SMS code."""
    return (
        tracker.active_loop_name == "porting_form"
        and tracker.get_slot("requested_slot") == "otp_code"
    )


class ActionUnderstandInContext(Action):
    """Answer a follow-up the classifier missed, or ask to rephrase."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_understand_in_context"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """The follow-up's answer; a missing code sent again; else rephrase (or the
        complaint's or the out-of-scope answer)."""
        text = tracker.latest_message.get("text") or ""
        if awaits_code(tracker) and _NO_CODE.search(fold(text)):
            return [FollowupAction("action_resend_code")]
        response = follow_up_response(text, family_of_last_answer(tracker))
        if response is None:
            intent = tracker.latest_message.get("intent", {}).get("name")
            if intent in WITHOUT_CONTEXT:
                dispatcher.utter_message(response=WITHOUT_CONTEXT[intent])
                return []
            return [FollowupAction("utter_ask_rephrase")]
        dispatcher.utter_message(response=response)
        return []
