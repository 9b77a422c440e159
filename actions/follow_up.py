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
from bot.intent_rules import confirmation_answer, too_long
from bot.login_help import login_topic

# "Je n'ai rien reçu", "toujours pas de SMS": said while the code is awaited.
_NO_CODE = re.compile(
    r"\b(rien (re)?c?u|pas (re)?c?u|toujours (rien|pas)|tjr?s? (rien|pas)|"
    r"arrive pas|pas de (sms|code|message)|aucun (sms|code|message))"
)
_RIO = re.compile(r"\brio\b")
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


def answered_in_form(tracker: Tracker) -> bool:
    """Tell whether the porting form reads the message though the classifier read
    thanks or nothing clear: the yes or no it asked for, or an order number given
    for the line (the code goes to the order's line)."""
    if tracker.active_loop_name != "porting_form":
        return False
    asked = tracker.get_slot("requested_slot")
    entities = {e.get("entity") for e in tracker.latest_message.get("entities") or []}
    if asked == "phone_number" and entities == {"order_id"}:
        return True
    return (
        asked == "confirmation"
        and confirmation_answer(
            tracker.latest_message.get("intent", {}).get("name"),
            tracker.latest_message.get("text") or "",
            tracker.get_slot("porting_task"),
        )
        is not None
    )


def _gives_rio(tracker: Tracker) -> bool:
    entities = tracker.latest_message.get("entities") or []
    return any(e.get("entity") == "rio" for e in entities)


def rio_instead_of_code(tracker: Tracker) -> bool:
    """Tell whether the customer gives or names the RIO while the SMS code is
    awaited ("le code c'est mon RIO ? 02PK7T…")."""
    text = fold(tracker.latest_message.get("text") or "")
    return awaits_code(tracker) and (_gives_rio(tracker) or bool(_RIO.search(text)))


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
        intent = tracker.latest_message.get("intent", {}).get("name")
        if too_long(text):
            dispatcher.utter_message(response="utter_message_too_long")
            return []
        if answered_in_form(tracker):
            return []  # "Oui, merci de l'annuler": the form reads the answer
        if intent == "thank":
            dispatcher.utter_message(response="utter_you_are_welcome")
            return []
        if intent == "inform" and tracker.active_loop_name is None:
            topic = porting_faq.precise_question(text)
            dispatcher.utter_message(
                response=porting_faq.TOPIC_RESPONSES[topic]
                if topic
                else "utter_inform_without_context"
            )
            return []
        if awaits_code(tracker) and _NO_CODE.search(fold(text)):
            return [FollowupAction("action_resend_code")]
        if rio_instead_of_code(tracker):
            dispatcher.utter_message(response="utter_code_is_not_the_rio")
            return []
        if _gives_rio(tracker):
            return []  # a RIO given at another step: the form asks its question
        family = family_of_last_answer(tracker)
        # A complaint is acknowledged, unless it answers the SIM-lock answer ("mais
        # je l'ai acheté chez vous"): "ça fait 3 jours" is not a question on delays.
        if intent == "complain" and family != "sim_unlock":
            dispatcher.utter_message(response=WITHOUT_CONTEXT[intent])
            return []
        response = follow_up_response(text, family)
        if response is None and intent == "nlu_fallback":
            # "le jour du transfert mon tel capte plus, c normal ?" with no context.
            topic = porting_faq.precise_question(text)
            response = porting_faq.TOPIC_RESPONSES[topic] if topic else None
        if response is None:
            if intent in WITHOUT_CONTEXT:
                dispatcher.utter_message(response=WITHOUT_CONTEXT[intent])
                return []
            return [FollowupAction("utter_ask_rephrase")]
        dispatcher.utter_message(response=response)
        return []
