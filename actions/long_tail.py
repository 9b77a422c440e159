"""What customers say off the designed paths: "pourquoi ?", English, login questions,
goodbyes."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.access import start_access
from actions.handoff import REFUSAL_REASONS, escalate
from actions.porting import start_task
from bot.dates.lexicon import fold
from bot.english import english_topic
from bot.farewell import wish_for
from bot.intent_rules import ORDER_WORDS
from bot.login_help import email_change_failed, login_question

# Refusals about a porting (slot `last_refusal`), and the words that name an order.
PORTING_REFUSALS = ("deadline_passed", "no_porting", "completed", "cancelled")

# The answer to "why?" after each of the assistant's refusals or questions.
WHY_AFTER = {
    "utter_deadline_passed": "utter_why_deadline",
    "utter_date_refused_sunday": "utter_why_working_days",
    "utter_date_refused_public_holiday": "utter_why_working_days",
    "utter_date_refused_too_soon": "utter_why_too_soon",
    "utter_date_refused_too_late": "utter_why_too_late",
    "utter_date_refused_same_date": "utter_why_same_date",
    "utter_no_porting": "utter_why_no_porting",
    "utter_porting_already_completed": "utter_why_completed",
    "utter_porting_already_cancelled": "utter_why_cancelled",
    "utter_too_many_codes": "utter_why_code_limit",
    "utter_cannot_cancel_order": "utter_why_cannot_cancel_order",
    "utter_no_user_declared": "utter_why_no_user",
    "utter_ask_phone_number": "utter_why_verification",
    "utter_code_sent": "utter_why_verification",
    "utter_ask_otp_code": "utter_why_verification",
    "utter_cancel_consequence": "utter_why_cancel_consequence",
    "utter_backend_error": "utter_why_backend_error",
}
# After these, the advisor is offered again: the customer may want one now.
REFUSALS = {
    "utter_why_deadline",
    "utter_why_no_porting",
    "utter_why_completed",
    "utter_why_cancelled",
    "utter_why_cannot_cancel_order",
    "utter_why_backend_error",
}
# The flows an English request starts, and how the English answer names them.
ENGLISH_FLOWS = {
    "change_porting_date": "change your porting date",
    "cancel_porting": "cancel your porting",
    "order_status": "follow your order",
    "recover_access": "get back into your account",
    "request_human": "talk to an advisor",
}


def last_turn_responses(tracker: Tracker) -> list[str]:
    """The responses of the assistant's last turn, newest first."""
    names: list[str] = []
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                break
            seen_user = True
        elif seen_user and event.get("event") == "bot":
            name = (event.get("metadata") or {}).get("utter_action")
            if name:
                names.append(name)
    return names


class ActionExplainWhy(Action):
    """ "Pourquoi ?": the reason of what the assistant just said or refused."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_explain_why"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Explain the latest refusal or question; ask to be precise otherwise."""
        said = last_turn_responses(tracker)
        why = next((WHY_AFTER[name] for name in said if name in WHY_AFTER), None)
        if why is None:
            dispatcher.utter_message(response="utter_why_unclear")
            return []
        dispatcher.utter_message(response=why)
        if why in REFUSALS and tracker.active_loop_name is None:
            return [FollowupAction("utter_offer_advisor_after_refusal")]
        return []


class ActionAnswerEnglish(Action):
    """An English message: say (in both languages) that the assistant answers in
    French; a simple request it recognises starts at once (the questions follow in
    French), a request for a person hands over, anything else gets buttons."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_answer_english"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """The bilingual answer, then the flow the message asks for."""
        topic = english_topic(tracker.latest_message.get("text") or "")
        if tracker.active_loop_name or topic not in ENGLISH_FLOWS:
            dispatcher.utter_message(response="utter_english")
            return []
        if topic == "request_human":
            dispatcher.utter_message(response="utter_english_handoff")
            return escalate(dispatcher, tracker, "customer_request")
        dispatcher.utter_message(
            response="utter_english_flow", english=ENGLISH_FLOWS[topic]
        )
        if topic == "recover_access":
            return [*start_access(tracker), FollowupAction("access_form")]
        return [*start_task(dispatcher, tracker, topic), FollowupAction("porting_form")]


class ActionAnswerLogin(Action):
    """Access asked about inside a form, which then goes on: a login question is
    answered (which identifier, or what to do without the login e-mail); a reset
    asked for in the porting form waits until it is done; in the access form, the
    reset is what the form is doing, and its question comes back."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_answer_login"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """The answer for the login question asked, if any."""
        topic = login_question(tracker.latest_message.get("text") or "")
        if topic is not None:
            dispatcher.utter_message(response=f"utter_login_{topic}")
        elif tracker.active_loop_name == "porting_form":
            dispatcher.utter_message(response="utter_recover_access_later")
        return []


class ActionRefuseOrderCancellation(Action):
    """ "Annulez ma commande": the assistant cannot; it offers an advisor."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_refuse_order_cancellation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Say so, remember why, and offer an advisor.

        "Mais je veux l'annuler !" right after a porting was refused names no order:
        the customer insists on the porting, and an advisor is called in.
        """
        text = tracker.latest_message.get("text") or ""
        refused = tracker.get_slot("last_refusal")
        if (
            refused in PORTING_REFUSALS
            and "utter_offer_advisor_after_refusal" in last_turn_responses(tracker)
            and not ORDER_WORDS.search(fold(text))
        ):
            dispatcher.utter_message(response="utter_insist_handoff")
            return escalate(dispatcher, tracker, REFUSAL_REASONS[refused])
        dispatcher.utter_message(response="utter_cannot_cancel_order")
        return [
            SlotSet("last_refusal", "cancel_order"),
            FollowupAction("utter_offer_advisor_after_refusal"),
        ]


class ActionAnswerLoginEmail(Action):
    """Changing the login e-mail: the steps, or why it fails when it did."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_answer_login_email"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """The steps, or the reasons of a failure."""
        failed = email_change_failed(tracker.latest_message.get("text") or "")
        response = (
            "utter_change_login_email_failed" if failed else "utter_change_login_email"
        )
        dispatcher.utter_message(response=response)
        return []


class ActionGoodbye(Action):
    """Say goodbye with the wish the customer made ("bonne soirée")."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_goodbye"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """The goodbye with the matching wish."""
        wish = wish_for(tracker.latest_message.get("text") or "")
        dispatcher.utter_message(response="utter_goodbye", wish=wish)
        return []
