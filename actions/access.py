"""Access recovery: holder (reset link by e-mail) or declared user (by SMS)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot import access
from bot.access_roles import HOLDER, USER, role_of
from bot.config import get_settings
from bot.db import ensure_schema, session_scope
from bot.login_help import login_question
from bot.masking import mask_msisdn
from bot.normalize import normalize_email, normalize_phone_number

ACCESS_SLOTS = ("access_role", "email", "phone_number")
NEXT_SLOT = {HOLDER: "email", USER: "phone_number"}


class ActionStartAccess(Action):
    """Answer a question about logging in, or start an access request from what
    the first message already says.

    "Je me connecte avec quoi ?" is answered (`access_request` is `question`, the
    rules then wait). Otherwise (`reset`): "Je suis utilisateur de la ligne 06…",
    the role and the line are kept and the form sends the link at once; an e-mail
    address means the holder's login. Answers of an earlier request are forgotten.
    """

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_start_access"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Answer the question, or set the role, e-mail and line the message
        gives and clear the rest."""
        topic = login_question(tracker.latest_message.get("text") or "")
        if topic is not None:
            dispatcher.utter_message(response=f"utter_login_{topic}")
            return [SlotSet("access_request", "question")]
        return [*start_access(tracker), SlotSet("access_request", "reset")]


def _given(tracker: Tracker) -> dict[str, Any]:
    """Role, e-mail and line the latest message gives (an e-mail means the holder)."""
    message = tracker.latest_message
    entities = {e["entity"]: e.get("value") for e in message.get("entities") or []}
    role = role_of(message.get("text") or "")
    if role is None and entities.get("email"):
        role = HOLDER
    return {
        "access_role": role,
        "email": entities.get("email") if role == HOLDER else None,
        "phone_number": entities.get("phone_number") if role == USER else None,
    }


def start_access(tracker: Tracker) -> list[EventType]:
    """The access form's slots from the latest message (role, e-mail, line)."""
    given = _given(tracker)
    return [SlotSet(slot, given[slot]) for slot in ACCESS_SLOTS]


class ValidateAccessForm(FormValidationAction):
    """Ask who the person is, then the e-mail or the line, and send the link."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "validate_access_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """The role first, then what that role needs."""
        role = tracker.get_slot("access_role")
        return ["access_role", *([NEXT_SLOT[role]] if role in NEXT_SLOT else [])]

    async def extract_access_role(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Read the role from the words when the form asks for it, with the e-mail
        or the line given in the same answer ("titulaire, mon mail est …")."""
        if tracker.get_slot("requested_slot") != "access_role":
            return {}
        return {slot: value for slot, value in _given(tracker).items() if value}

    def validate_access_role(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, _: Any
    ) -> dict[str, Any]:
        """Keep holder or user."""
        return {"access_role": value if value in NEXT_SLOT else None}

    def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, _: Any
    ) -> dict[str, Any]:
        """Send the holder's link; the answer is the same for unknown addresses."""
        email = normalize_email(str(value or ""))
        if email is None:
            dispatcher.utter_message(response="utter_invalid_email")
            return {"email": None}
        settings = get_settings()
        ensure_schema(settings)
        with session_scope(settings) as session:
            access.request_holder_reset(
                session,
                email=email,
                settings=settings,
                conversation_id=tracker.sender_id,
            )
        dispatcher.utter_message(response="utter_holder_reset_sent")
        return {"email": email}

    def validate_phone_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, _: Any
    ) -> dict[str, Any]:
        """Send the declared user's link by SMS, or say no user was created."""
        msisdn = normalize_phone_number(str(value or ""))
        if msisdn is None:
            dispatcher.utter_message(response="utter_invalid_phone_number")
            return {"phone_number": None}
        settings = get_settings()
        ensure_schema(settings)
        with session_scope(settings) as session:
            outcome = access.request_user_reset(
                session,
                msisdn=msisdn,
                settings=settings,
                conversation_id=tracker.sender_id,
            )
        if outcome is access.UserResetOutcome.SENT:
            dispatcher.utter_message(
                response="utter_user_reset_sent", number=mask_msisdn(msisdn)
            )
        elif outcome is access.UserResetOutcome.TOO_MANY_LINKS:
            dispatcher.utter_message(response="utter_too_many_links")
        else:
            dispatcher.utter_message(response="utter_no_user_declared")
        return {"phone_number": msisdn}


class ActionAccessSubmit(Action):
    """Close the access request."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_access_submit"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Offer more help and clear the answers."""
        dispatcher.utter_message(response="utter_anything_else")
        return [SlotSet(slot, None) for slot in ("access_role", "email")]
