"""The porting form: verify the number by SMS code, then collect what the task needs.

`porting_task` (change, cancel, status) decides the slots after verification. Only
this validation action sets `verified_msisdn`, after a correct code.
"""

from __future__ import annotations

import uuid
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.after_verification import after_verification
from actions.porting_dates import new_date_in, review_date
from actions.verification_code import order_line, send_code
from bot import porting_service, verification
from bot.config import get_settings
from bot.db import lock_for_write, session_scope
from bot.intent_rules import confirmation_answer
from bot.masking import mask_msisdn
from bot.normalize import normalize_phone_number
from bot.porting_service import PortingView
from bot.verification import CheckResult

VERIFICATION_SLOTS = ["phone_number", "otp_code"]
TASK_SLOTS = {"change": ["requested_date", "confirmation"], "cancel": ["confirmation"]}
RESET_OTP: dict[str, Any] = {"otp_code": None}


class ValidatePortingForm(FormValidationAction):
    """Validate the number, the code, the new date and the confirmation."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "validate_porting_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Verification first, then the task's slots; nothing once the flow stopped."""
        if tracker.get_slot("porting_outcome"):
            return []
        if not tracker.get_slot("verified_msisdn"):
            # A date given early stays unvalidated until the number is verified.
            return list(VERIFICATION_SLOTS)
        return list(TASK_SLOTS.get(tracker.get_slot("porting_task"), []))

    async def extract_phone_number(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """An order number given where the line is asked ("CMD-2026-004512"): the
        code goes to the order's line, as when the order opens the request."""
        if tracker.get_slot("requested_slot") != "phone_number":
            return {}
        entities = {
            e.get("entity"): e.get("value")
            for e in tracker.latest_message.get("entities") or []
        }
        if "phone_number" in entities or not entities.get("order_id"):
            return {}
        line = order_line(dispatcher, str(entities["order_id"]))
        return {"phone_number": line, "order_id": entities["order_id"]} if line else {}

    def validate_phone_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, _: Any
    ) -> dict[str, Any]:
        """Send a code to a valid number; say the same whether or not it is ours."""
        msisdn = normalize_phone_number(str(value or ""))
        if msisdn is None or msisdn[:2] not in ("06", "07"):
            dispatcher.utter_message(response="utter_invalid_phone_number")
            return {"phone_number": None}
        if not send_code(dispatcher, tracker, msisdn):
            return {"phone_number": None, "porting_outcome": "too_many_codes"}
        dispatcher.utter_message(response="utter_code_sent", number=mask_msisdn(msisdn))
        return {"phone_number": msisdn, **RESET_OTP}

    def validate_otp_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, _: Any
    ) -> dict[str, Any]:
        """Check the code; once verified, say where the porting stands."""
        msisdn = tracker.get_slot("phone_number")
        settings = get_settings()
        with session_scope(settings) as session:
            lock_for_write(session)  # reads, then writes: no lock upgrade on SQLite
            check = verification.check_code(
                session,
                msisdn=msisdn,
                conversation_id=tracker.sender_id,
                code=str(value or ""),
                settings=settings,
            )
            porting = (
                porting_service.find_porting(session, msisdn)
                if check.result is CheckResult.VERIFIED
                else None
            )
        if check.result is CheckResult.WRONG:
            dispatcher.utter_message(
                response="utter_wrong_code", attempts=check.attempts_left
            )
            return RESET_OTP
        if check.result is not CheckResult.VERIFIED:
            response = {CheckResult.EXPIRED: "utter_code_expired"}.get(
                check.result, "utter_code_locked"
            )
            dispatcher.utter_message(response=response)
            return {"phone_number": None, **RESET_OTP}
        dispatcher.utter_message(response="utter_verified")
        slots = {"otp_code": "verified", "verified_msisdn": msisdn}
        task = tracker.get_slot("porting_task")
        pending = tracker.get_slot("requested_date")
        outcome = after_verification(dispatcher, task, porting, pending, msisdn)
        return {**slots, **outcome}

    async def extract_requested_date(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """ "La 2e", "celle du 18": one of the dates offered, when one was asked."""
        if tracker.get_slot("requested_slot") != "requested_date":
            return {}
        given = new_date_in(tracker)
        return {"requested_date": given} if given else {}

    async def extract_confirmation(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A date given instead of a yes or a no is an answer too: it is checked by
        `validate_confirmation` (a new date to confirm, never a yes). A plain "oui"
        or "non" opening the message is read even when the classifier hesitates."""
        if tracker.get_slot("requested_slot") != "confirmation":
            return {}
        if new_date_in(tracker):
            return {"confirmation": "new_date"}
        answer = confirmation_answer(
            tracker.latest_message.get("intent", {}).get("name"),
            tracker.latest_message.get("text") or "",
            tracker.get_slot("porting_task"),
        )
        return {} if answer is None else {"confirmation": answer}

    def validate_requested_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, _: Any
    ) -> dict[str, Any]:
        """Check the new date against the rules; on refusal, offer the nearest.

        A date given while the change is being confirmed replaces the one before
        ("non, le 21"): it is checked and confirmed again.
        """
        result = review_date(dispatcher, self._porting(tracker), value, tracker)
        if tracker.get_slot("requested_slot") == "confirmation":
            result["confirmation"] = None
        return result

    def validate_confirmation(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, _: Any
    ) -> dict[str, Any]:
        """Keep the yes or no; a date instead means a new date to confirm.

        Asked to confirm a cancellation, "non, décalez-la plutôt au 7 janvier"
        turns the request into a change to that date, never a cancellation.
        """
        given = new_date_in(tracker)
        if given is None:
            return {"confirmation": value is True or value == "True"}
        if tracker.get_slot("porting_task") != "cancel":
            return {"confirmation": None}
        dispatcher.utter_message(response="utter_switch_to_change")
        review = review_date(dispatcher, self._porting(tracker), given, tracker)
        return {
            **review,
            "confirmation": None,
            "porting_task": "change",
            "change_request_id": f"{tracker.sender_id}:{uuid.uuid4().hex}",
        }

    @staticmethod
    def _porting(tracker: Tracker) -> PortingView | None:
        msisdn = tracker.get_slot("verified_msisdn")
        with session_scope(get_settings()) as session:
            return porting_service.find_porting(session, msisdn)
