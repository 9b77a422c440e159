"""The dates a porting may move to, within a period the customer named, and why a
porting can no longer be changed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.models import PortingSlot, PortingStatus
from bot.porting import allowed_dates
from bot.porting_service import PortingView, dates_in_period, why_unchangeable

SUBSCRIBED = date(2026, 11, 20)  # the window closes on Monday 18 January 2027
TODAY = date(2026, 12, 1)  # a Tuesday: the window opens on Saturday 5 December
SCHEDULED = date(2026, 12, 10)
FIRST, LAST = date(2026, 12, 5), date(2027, 1, 18)
CHRISTMAS, NEW_YEAR = date(2026, 12, 25), date(2027, 1, 1)


def _allowed(
    *,
    subscribed_on: date = SUBSCRIBED,
    scheduled_on: date = SCHEDULED,
    today: date = TODAY,
    start: date | None = None,
    end: date | None = None,
) -> list[date]:
    return allowed_dates(
        subscribed_on=subscribed_on,
        scheduled_on=scheduled_on,
        today=today,
        start=start,
        end=end,
    )


def _porting(
    scheduled_on: date = SCHEDULED, status: PortingStatus = PortingStatus.SCHEDULED
) -> PortingView:
    return PortingView(
        msisdn="0612345678",
        order_id="CMD-2026-004512",
        subscribed_on=SUBSCRIBED,
        scheduled_on=scheduled_on,
        slot=PortingSlot.MORNING,
        status=status,
    )


def test_the_window_runs_from_four_days_after_today_to_59_after_subscribing() -> None:
    days = _allowed()
    assert days[0] == FIRST == TODAY + timedelta(days=4)
    assert days[-1] == LAST == SUBSCRIBED + timedelta(days=59)


def test_every_other_day_of_the_window_is_allowed_in_calendar_order() -> None:
    window = [FIRST + timedelta(days=n) for n in range((LAST - FIRST).days + 1)]
    refused = {day for day in window if day.weekday() == 6}
    refused |= {CHRISTMAS, NEW_YEAR, SCHEDULED}
    assert _allowed() == [day for day in window if day not in refused]
    assert len(_allowed()) == 35


def test_sundays_public_holidays_and_the_scheduled_date_are_left_out() -> None:
    days = set(_allowed())
    assert not any(day.weekday() == 6 for day in days)
    assert CHRISTMAS not in days and NEW_YEAR not in days
    assert SCHEDULED not in days
    assert {date(2026, 12, 24), date(2026, 12, 26), date(2027, 1, 2)} <= days


@pytest.mark.parametrize(
    ("scheduled_on", "allowed"), [(date(2026, 12, 4), False), (date(2026, 12, 5), True)]
)
def test_nothing_is_allowed_less_than_four_days_before_the_porting(
    scheduled_on: date, allowed: bool
) -> None:
    assert bool(_allowed(scheduled_on=scheduled_on)) is allowed


def test_a_window_closing_on_a_sunday_ends_the_saturday_before() -> None:
    subscribed = date(2026, 11, 19)  # + 59 days: Sunday 17 January 2027
    assert _allowed(subscribed_on=subscribed)[-1] == date(2027, 1, 16)


def test_a_window_opening_on_a_sunday_starts_the_monday_after() -> None:
    assert _allowed(today=date(2026, 12, 2))[0] == date(2026, 12, 7)


@pytest.mark.parametrize(
    ("start", "end", "first", "last"),
    [
        (date(2026, 11, 1), date(2026, 12, 9), FIRST, date(2026, 12, 9)),
        (date(2027, 1, 11), date(2027, 2, 28), date(2027, 1, 11), LAST),
        (date(2026, 11, 1), date(2027, 3, 31), FIRST, LAST),
        (None, date(2026, 12, 8), FIRST, date(2026, 12, 8)),
        (date(2027, 1, 15), None, date(2027, 1, 15), LAST),
    ],
)
def test_a_period_is_clipped_to_the_window(
    start: date | None, end: date | None, first: date, last: date
) -> None:
    days = _allowed(start=start, end=end)
    assert (days[0], days[-1]) == (first, last)


def test_the_end_of_december_leaves_out_christmas_and_the_sunday() -> None:
    days = _allowed(start=date(2026, 12, 21), end=date(2026, 12, 31))
    assert [day.day for day in days] == [21, 22, 23, 24, 26, 28, 29, 30, 31]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2027, 2, 1), date(2027, 2, 28)),  # after the window
        (date(2026, 11, 23), date(2026, 12, 4)),  # before it
        (date(2026, 12, 20), date(2026, 12, 10)),  # ends before it starts
        (date(2026, 12, 13), date(2026, 12, 13)),  # one Sunday
        (CHRISTMAS, CHRISTMAS),
    ],
)
def test_a_period_with_no_allowed_day_gives_none(start: date, end: date) -> None:
    assert _allowed(start=start, end=end) == []


def test_a_one_day_period_gives_that_day_when_it_is_allowed() -> None:
    day = date(2026, 12, 15)
    assert _allowed(start=day, end=day) == [day]


def test_the_dates_in_a_period_follow_the_rules_for_this_porting() -> None:
    start, end = date(2026, 12, 7), date(2026, 12, 13)
    days = dates_in_period(_porting(), start, end, TODAY)
    assert days == _allowed(start=start, end=end)
    assert [day.day for day in days] == [7, 8, 9, 11, 12]


def test_the_dates_in_a_period_are_none_once_the_deadline_passed() -> None:
    late = _porting(scheduled_on=date(2026, 12, 4))
    assert dates_in_period(late, FIRST, LAST, TODAY) == []


def test_without_a_porting_nothing_can_be_changed() -> None:
    assert why_unchangeable(None, TODAY) == "no_porting"


@pytest.mark.parametrize(
    ("status", "reason"),
    [(PortingStatus.COMPLETED, "completed"), (PortingStatus.CANCELLED, "cancelled")],
)
def test_a_porting_no_longer_scheduled_cannot_be_changed(
    status: PortingStatus, reason: str
) -> None:
    assert why_unchangeable(_porting(status=status), TODAY) == reason
    soon = _porting(scheduled_on=TODAY, status=status)
    assert why_unchangeable(soon, TODAY) == reason  # the status is said first


@pytest.mark.parametrize(
    ("days_before", "reason"),
    [
        (-2, "deadline_passed"),
        (0, "deadline_passed"),
        (3, "deadline_passed"),
        (4, None),
        (30, None),
    ],
)
def test_a_scheduled_porting_can_be_changed_until_four_days_before(
    days_before: int, reason: str | None
) -> None:
    porting = _porting(scheduled_on=TODAY + timedelta(days=days_before))
    assert why_unchangeable(porting, TODAY) == reason
