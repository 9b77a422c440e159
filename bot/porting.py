"""The operator's porting rules: when a porting date may be changed or cancelled.

From the help pages: a porting happens on jours ouvrables only (Monday to Saturday,
never on a public holiday), between 4 and 59 days after the subscription, and it can
be changed or cancelled until 4 days before its scheduled date. Pure functions: no
database, no Rasa.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.business_days import holiday_name

NOTICE_DAYS = 4  # change or cancel until this many days before the scheduled date
MIN_DAYS_FROM_TODAY = 4  # a new date is at least this many days after today
MAX_DAYS_FROM_SUBSCRIPTION = 59  # and at most this many days after the subscription
SUNDAY = 6

OK = "ok"
DEADLINE_PASSED = "deadline_passed"
SAME_DATE = "same_date"
TOO_SOON = "too_soon"
TOO_LATE = "too_late"
NOT_ON_SUNDAY = "sunday"
PUBLIC_HOLIDAY = "public_holiday"


@dataclass(frozen=True)
class Decision:
    """Whether a change is allowed and, if not, the first rule it breaks."""

    allowed: bool
    reason: str

    @classmethod
    def refuse(cls, reason: str) -> Decision:
        """A refusal for `reason`."""
        return cls(allowed=False, reason=reason)


ALLOWED = Decision(allowed=True, reason=OK)


def check_cancellation(*, scheduled_on: date, today: date) -> Decision:
    """Tell whether the porting scheduled on `scheduled_on` may still be cancelled."""
    if (scheduled_on - today).days < NOTICE_DAYS:
        return Decision.refuse(DEADLINE_PASSED)
    return ALLOWED


def check_new_date(
    *, subscribed_on: date, scheduled_on: date, requested_on: date, today: date
) -> Decision:
    """Tell whether the porting may move from `scheduled_on` to `requested_on`."""
    if (scheduled_on - today).days < NOTICE_DAYS:
        return Decision.refuse(DEADLINE_PASSED)
    if requested_on == scheduled_on:
        return Decision.refuse(SAME_DATE)
    if (requested_on - today).days < MIN_DAYS_FROM_TODAY:
        return Decision.refuse(TOO_SOON)
    if (requested_on - subscribed_on).days > MAX_DAYS_FROM_SUBSCRIPTION:
        return Decision.refuse(TOO_LATE)
    if requested_on.weekday() == SUNDAY:
        return Decision.refuse(NOT_ON_SUNDAY)
    if holiday_name(requested_on):
        return Decision.refuse(PUBLIC_HOLIDAY)
    return ALLOWED


def allowed_window(*, subscribed_on: date, today: date) -> tuple[date, date]:
    """The first and last dates a new porting date may take (before day rules)."""
    first = today + timedelta(days=MIN_DAYS_FROM_TODAY)
    last = subscribed_on + timedelta(days=MAX_DAYS_FROM_SUBSCRIPTION)
    return first, last


def allowed_dates(
    *,
    subscribed_on: date,
    scheduled_on: date,
    today: date,
    start: date | None = None,
    end: date | None = None,
) -> list[date]:
    """Every date the porting may move to, in calendar order, within [start, end]
    when given (a period the customer named)."""
    first, last = allowed_window(subscribed_on=subscribed_on, today=today)
    first, last = max(first, start or first), min(last, end or last)
    candidates = [
        first + timedelta(days=offset) for offset in range((last - first).days + 1)
    ]
    return [
        day
        for day in candidates
        if check_new_date(
            subscribed_on=subscribed_on,
            scheduled_on=scheduled_on,
            requested_on=day,
            today=today,
        ).allowed
    ]


def suggest_dates(
    *,
    subscribed_on: date,
    scheduled_on: date,
    requested_on: date,
    today: date,
    count: int = 3,
) -> list[date]:
    """The `count` allowed dates closest to `requested_on`, in calendar order.

    Ties in distance go to the earlier date. Empty when the deadline has passed or
    no date of the window is allowed.
    """
    allowed = allowed_dates(
        subscribed_on=subscribed_on, scheduled_on=scheduled_on, today=today
    )
    closest = sorted(allowed, key=lambda day: (abs((day - requested_on).days), day))
    return sorted(closest[:count])
