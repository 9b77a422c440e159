"""The porting rules, on every boundary, and against an independent oracle."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from bot.porting import (
    DEADLINE_PASSED,
    NOT_ON_SUNDAY,
    OK,
    PUBLIC_HOLIDAY,
    SAME_DATE,
    TOO_LATE,
    TOO_SOON,
    check_cancellation,
    check_new_date,
    suggest_dates,
)

TODAY = date(2026, 11, 26)  # a Thursday
SUBSCRIBED = date(2026, 11, 16)
SCHEDULED = date(2026, 12, 8)


def _reason(
    requested: date,
    *,
    scheduled: date = SCHEDULED,
    today: date = TODAY,
    subscribed: date = SUBSCRIBED,
) -> str:
    return check_new_date(
        subscribed_on=subscribed,
        scheduled_on=scheduled,
        requested_on=requested,
        today=today,
    ).reason


def test_a_saturday_inside_the_window_is_allowed() -> None:
    decision = check_new_date(
        subscribed_on=SUBSCRIBED,
        scheduled_on=SCHEDULED,
        requested_on=date(2026, 12, 12),
        today=TODAY,
    )
    assert decision.allowed and decision.reason == OK


@pytest.mark.parametrize(
    ("days_left", "reason"), [(4, OK), (3, DEADLINE_PASSED), (0, DEADLINE_PASSED)]
)
def test_changes_are_possible_until_four_days_before_the_scheduled_date(
    days_left: int, reason: str
) -> None:
    scheduled = TODAY + timedelta(days=days_left)
    assert _reason(date(2026, 12, 12), scheduled=scheduled) == reason


@pytest.mark.parametrize(("days_left", "allowed"), [(4, True), (3, False), (-5, False)])
def test_cancellation_is_possible_until_four_days_before(
    days_left: int, allowed: bool
) -> None:
    decision = check_cancellation(
        scheduled_on=TODAY + timedelta(days=days_left), today=TODAY
    )
    assert decision.allowed is allowed
    assert decision.reason == (OK if allowed else DEADLINE_PASSED)


def test_the_deadline_is_checked_before_anything_about_the_new_date() -> None:
    assert _reason(TODAY, scheduled=TODAY + timedelta(days=2)) == DEADLINE_PASSED


def test_asking_for_the_scheduled_date_is_refused_as_the_same_date() -> None:
    assert _reason(SCHEDULED) == SAME_DATE


@pytest.mark.parametrize(("offset", "reason"), [(3, TOO_SOON), (4, OK)])
def test_a_new_date_must_be_at_least_four_days_after_today(
    offset: int, reason: str
) -> None:
    # 29 November 2026 is a Sunday: use a Monday today so both days are working days.
    today = date(2026, 11, 23)
    assert _reason(today + timedelta(days=offset), today=today) == reason


@pytest.mark.parametrize(("offset", "reason"), [(59, OK), (60, TOO_LATE)])
def test_a_new_date_is_at_most_fifty_nine_days_after_the_subscription(
    offset: int, reason: str
) -> None:
    subscribed = date(2026, 11, 14)  # +59 = Tue 12 January 2027, +60 = Wed 13
    assert _reason(subscribed + timedelta(days=offset), subscribed=subscribed) == reason


def test_a_sunday_is_refused_even_inside_the_window() -> None:
    assert _reason(date(2026, 12, 13)) == NOT_ON_SUNDAY


@pytest.mark.parametrize(
    "holiday",
    [
        date(2026, 12, 25),
        date(2027, 1, 1),
        date(2027, 3, 29),
        date(2027, 5, 1),
        date(2027, 5, 6),
        date(2027, 5, 8),
        date(2027, 5, 17),
        date(2027, 7, 14),
        date(2027, 8, 16 - 1),
        date(2027, 11, 1),
        date(2027, 11, 11),
    ],
)
def test_each_french_public_holiday_is_refused(holiday: date) -> None:
    today = holiday - timedelta(days=10)
    reason = _reason(
        holiday,
        today=today,
        scheduled=today + timedelta(days=20),
        subscribed=today - timedelta(days=5),
    )
    assert reason == (NOT_ON_SUNDAY if holiday.weekday() == 6 else PUBLIC_HOLIDAY)


def test_a_holiday_on_a_saturday_is_refused_as_a_holiday() -> None:
    # 1 May 2027 is a Saturday: Saturdays are working days, holidays are not.
    assert date(2027, 5, 1).weekday() == 5
    today = date(2027, 4, 20)
    assert (
        _reason(
            date(2027, 5, 1),
            today=today,
            scheduled=date(2027, 5, 10),
            subscribed=date(2027, 4, 15),
        )
        == PUBLIC_HOLIDAY
    )


def test_the_window_crosses_the_new_year() -> None:
    today = date(2026, 12, 28)
    assert (
        _reason(
            date(2027, 1, 2),
            today=today,
            scheduled=date(2027, 1, 8),
            subscribed=date(2026, 12, 20),
        )
        == OK
    )
    assert _reason(
        date(2027, 1, 1),
        today=date(2026, 12, 20),
        scheduled=date(2027, 1, 8),
        subscribed=date(2026, 12, 20),
    ) == (PUBLIC_HOLIDAY)


def test_rules_are_reported_in_order_the_first_failing_one_wins() -> None:
    # Too soon AND a Sunday: too soon is rule 3, Sunday rule 5.
    assert _reason(date(2026, 11, 29)) == TOO_SOON


def test_suggestions_are_the_three_allowed_dates_closest_to_the_request() -> None:
    # Sunday 13 Dec asked: Sat 12 and Mon 14 are at distance 1, Fri 11 and Tue 15
    # at distance 2; ties go to the earlier date.
    assert suggest_dates(
        subscribed_on=SUBSCRIBED,
        scheduled_on=SCHEDULED,
        requested_on=date(2026, 12, 13),
        today=TODAY,
    ) == [date(2026, 12, 11), date(2026, 12, 12), date(2026, 12, 14)]


def test_suggestions_skip_holidays_and_the_current_date() -> None:
    # Fri 25 Dec asked, 24 is the current date: Sat 26 (1 day), Wed 23 (2), then
    # Tue 22 and Mon 28 (3 days each): the earlier wins.
    suggestions = suggest_dates(
        subscribed_on=SUBSCRIBED,
        scheduled_on=date(2026, 12, 24),
        requested_on=date(2026, 12, 25),
        today=TODAY,
    )
    assert suggestions == [date(2026, 12, 22), date(2026, 12, 23), date(2026, 12, 26)]


def test_no_suggestion_once_the_deadline_has_passed() -> None:
    assert (
        suggest_dates(
            subscribed_on=SUBSCRIBED,
            scheduled_on=TODAY + timedelta(days=2),
            requested_on=date(2026, 12, 12),
            today=TODAY,
        )
        == []
    )


def test_suggestions_for_a_date_beyond_the_window_are_its_last_allowed_days() -> None:
    # Subscribed 16 Nov 2026: the window ends 59 days later, Thu 14 Jan 2027.
    assert suggest_dates(
        subscribed_on=SUBSCRIBED,
        scheduled_on=SCHEDULED,
        requested_on=date(2027, 3, 1),
        today=TODAY,
    ) == [date(2027, 1, 12), date(2027, 1, 13), date(2027, 1, 14)]


# --- An independent oracle: French holidays computed from Easter, rules re-stated ---


def _easter(year: int) -> date:
    """Anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _oracle_holidays(year: int) -> set[date]:
    easter = _easter(year)
    fixed = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}
    moving = {easter + timedelta(days=n) for n in (1, 39, 50)}
    return {date(year, m, d) for m, d in fixed} | moving


def _oracle(subscribed: date, scheduled: date, requested: date, today: date) -> str:
    checks = [
        (DEADLINE_PASSED, scheduled.toordinal() - today.toordinal() <= 3),
        (SAME_DATE, requested == scheduled),
        (TOO_SOON, requested.toordinal() - today.toordinal() <= 3),
        (TOO_LATE, requested.toordinal() - subscribed.toordinal() >= 60),
        (NOT_ON_SUNDAY, requested.isoweekday() == 7),
        (PUBLIC_HOLIDAY, requested in _oracle_holidays(requested.year)),
    ]
    return next((reason for reason, failed in checks if failed), OK)


def test_the_rules_agree_with_an_independent_oracle_on_five_thousand_cases() -> None:
    rng = random.Random(20261126)
    disagreements = []
    for _ in range(5000):
        today = date(2026, 1, 1) + timedelta(days=rng.randrange(3 * 365))
        subscribed = today - timedelta(days=rng.randrange(0, 60))
        scheduled = today + timedelta(days=rng.randrange(-5, 60))
        requested = today + timedelta(days=rng.randrange(-3, 70))
        expected = _oracle(subscribed, scheduled, requested, today)
        got = _reason(
            requested, scheduled=scheduled, today=today, subscribed=subscribed
        )
        if got != expected:
            disagreements.append(
                (subscribed, scheduled, requested, today, expected, got)
            )
    assert disagreements == []
