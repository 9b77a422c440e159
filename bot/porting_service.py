"""Read and change a number's porting: rules checked, audit written, SMS queued.

Each change runs in the caller's transaction (`bot.db.session_scope`): the porting,
its audit event and the confirmation SMS are written together or not at all. An
idempotency key per customer request makes a repeated confirmation a no-op.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import audit
from bot.business_days import holiday_name
from bot.config import Settings
from bot.dates import format_french_date
from bot.models import Order, OutboxMessage, Porting, PortingSlot, PortingStatus, utcnow
from bot.outbox import enqueue
from bot.porting import (
    Decision,
    allowed_dates,
    allowed_window,
    check_cancellation,
    check_new_date,
    suggest_dates,
)

SLOT_WORDS = {PortingSlot.MORNING: "le matin", PortingSlot.AFTERNOON: "l'après-midi"}

# SMS texts: GSM-7 characters only (no ç, ê, ’), two segments at most.
CHANGE_SMS = (
    "{operator} : la portabilité de votre numéro {number} est désormais prévue le "
    "{date}, {slot}. Un SMS vous rappellera la date et le créneau quelques jours avant."
)
CANCEL_SMS = (
    "{operator} : la portabilité de votre numéro {number} prévue le {date} est "
    "annulée. Votre numéro reste chez votre opérateur actuel."
)


class Outcome(enum.Enum):
    """What became of a requested change or cancellation."""

    APPLIED = "applied"
    ALREADY_APPLIED = "already_applied"  # same request confirmed twice
    REFUSED = "refused"
    NO_PORTING = "no_porting"
    NOT_SCHEDULED = "not_scheduled"  # completed or cancelled


@dataclass(frozen=True)
class PortingView:
    """What the assistant may tell a verified customer about a porting."""

    msisdn: str
    order_id: str
    subscribed_on: date
    scheduled_on: date
    slot: PortingSlot
    status: PortingStatus

    @property
    def slot_words(self) -> str:
        """The slot in French ("le matin")."""
        return SLOT_WORDS[self.slot]


@dataclass(frozen=True)
class Result:
    """The outcome of a change or cancellation, with the porting as it now is."""

    outcome: Outcome
    porting: PortingView | None = None
    decision: Decision | None = None


@dataclass(frozen=True)
class DateReview:
    """The rules' answer to a requested date, with what to tell the customer."""

    decision: Decision
    suggestions: list[date]
    last: date  # the last date the window allows
    holiday: str | None  # the holiday's French name, when that is the reason


def why_unchangeable(porting: PortingView | None, today: date) -> str | None:
    """Why this porting can be neither moved nor cancelled now, or None if it can.

    no_porting, completed, cancelled, or deadline_passed (less than 4 days before).
    """
    if porting is None:
        return "no_porting"
    if porting.status is not PortingStatus.SCHEDULED:
        return porting.status.value
    if not check_cancellation(scheduled_on=porting.scheduled_on, today=today).allowed:
        return "deadline_passed"
    return None


def dates_in_period(
    porting: PortingView, start: date, end: date, today: date
) -> list[date]:
    """The dates this porting may move to between `start` and `end`."""
    return allowed_dates(
        subscribed_on=porting.subscribed_on,
        scheduled_on=porting.scheduled_on,
        today=today,
        start=start,
        end=end,
    )


def review_new_date(porting: PortingView, requested: date, today: date) -> DateReview:
    """Check `requested` for this porting; on refusal, find the nearest valid dates."""
    decision = check_new_date(
        subscribed_on=porting.subscribed_on,
        scheduled_on=porting.scheduled_on,
        requested_on=requested,
        today=today,
    )
    suggestions = (
        []
        if decision.allowed
        else suggest_dates(
            subscribed_on=porting.subscribed_on,
            scheduled_on=porting.scheduled_on,
            requested_on=requested,
            today=today,
        )
    )
    _, last = allowed_window(subscribed_on=porting.subscribed_on, today=today)
    return DateReview(decision, suggestions, last, holiday_name(requested))


def spaced_number(msisdn: str) -> str:
    """Write a 10-digit number in pairs: "06 12 34 56 78"."""
    return " ".join(msisdn[i : i + 2] for i in range(0, len(msisdn), 2))


def _latest_porting(session: Session, msisdn: str, *, lock: bool = False):
    statement = (
        select(Porting, Order)
        .join(Order, Porting.order_id == Order.id)
        .where(Porting.msisdn == msisdn)
        .order_by(Order.subscribed_on.desc(), Porting.id.desc())
        .limit(1)
    )
    if lock:
        statement = statement.with_for_update()
    return session.execute(statement).first()


def _view(porting: Porting, order: Order) -> PortingView:
    return PortingView(
        msisdn=porting.msisdn,
        order_id=order.id,
        subscribed_on=order.subscribed_on,
        scheduled_on=porting.scheduled_on,
        slot=PortingSlot(porting.slot),
        status=PortingStatus(porting.status),
    )


def find_porting(session: Session, msisdn: str) -> PortingView | None:
    """Return the latest porting of this number, or None."""
    row = _latest_porting(session, msisdn)
    return _view(*row) if row else None


def _already_applied(session: Session, key: str) -> bool:
    statement = select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key)
    return session.execute(statement).first() is not None


def _open_request(session: Session, msisdn: str, key: str) -> tuple[Any, Result | None]:
    """Lock the number's porting; or end the request (none, done, not scheduled)."""
    row = _latest_porting(session, msisdn, lock=True)
    if row is None:
        return None, Result(Outcome.NO_PORTING)
    porting, order = row
    if _already_applied(session, key):
        return None, Result(Outcome.ALREADY_APPLIED, _view(porting, order))
    if porting.status != PortingStatus.SCHEDULED:
        return None, Result(Outcome.NOT_SCHEDULED, _view(porting, order))
    return row, None


def change_date(
    session: Session,
    *,
    msisdn: str,
    new_date: date,
    today: date,
    conversation_id: str,
    request_id: str,
    channel: str,
    settings: Settings,
    actor: str | None = None,
) -> Result:
    """Move the porting to `new_date` if the rules allow it, and queue the SMS.

    `actor` names who asked (default: the conversation; an agent in the console).
    """
    key = f"porting-change:{request_id}"
    row, ended = _open_request(session, msisdn, key)
    if ended:
        return ended
    porting, order = row
    decision = check_new_date(
        subscribed_on=order.subscribed_on,
        scheduled_on=porting.scheduled_on,
        requested_on=new_date,
        today=today,
    )
    if not decision.allowed:
        return Result(Outcome.REFUSED, _view(porting, order), decision)
    old_date = porting.scheduled_on
    porting.scheduled_on = new_date
    porting.updated_at = utcnow()
    view = _view(porting, order)
    audit.record(
        session,
        actor=actor or f"conversation:{conversation_id}",
        action="porting_date_changed",
        subject=f"order:{order.id}",
        channel=channel,
        details={"from": old_date.isoformat(), "to": new_date.isoformat()},
    )
    text = CHANGE_SMS.format(
        operator=settings.operator_name,
        number=spaced_number(msisdn),
        date=format_french_date(new_date),
        slot=view.slot_words,
    )
    enqueue(session, channel="sms", to=msisdn, text=text, idempotency_key=key)
    return Result(Outcome.APPLIED, view, decision)


def cancel(
    session: Session,
    *,
    msisdn: str,
    today: date,
    conversation_id: str,
    request_id: str,
    channel: str,
    settings: Settings,
    actor: str | None = None,
) -> Result:
    """Cancel the porting if the rules allow it, and queue the SMS."""
    key = f"porting-cancel:{request_id}"
    row, ended = _open_request(session, msisdn, key)
    if ended:
        return ended
    porting, order = row
    decision = check_cancellation(scheduled_on=porting.scheduled_on, today=today)
    if not decision.allowed:
        return Result(Outcome.REFUSED, _view(porting, order), decision)
    porting.status = PortingStatus.CANCELLED
    porting.updated_at = utcnow()
    audit.record(
        session,
        actor=actor or f"conversation:{conversation_id}",
        action="porting_cancelled",
        subject=f"order:{order.id}",
        channel=channel,
        details={"scheduled_on": porting.scheduled_on.isoformat()},
    )
    text = CANCEL_SMS.format(
        operator=settings.operator_name,
        number=spaced_number(msisdn),
        date=format_french_date(porting.scheduled_on),
    )
    enqueue(session, channel="sms", to=msisdn, text=text, idempotency_key=key)
    return Result(Outcome.APPLIED, _view(porting, order), decision)
