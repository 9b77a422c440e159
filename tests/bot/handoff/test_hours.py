"""Support hours: SUPPORT_HOURS, opening, holidays, callback half-days, French."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.config import ConfigError, Settings
from bot.handoff.hours import Slot, SupportHours, french_moment, french_slot

PARIS = ZoneInfo("Europe/Paris")
DEFAULT = "mon-sat 09:00-19:00"


def paris(day: str, hour: int = 0, minute: int = 0) -> datetime:
    """A local time in Paris on an ISO day."""
    year, month, dom = (int(part) for part in day.split("-"))
    return datetime(year, month, dom, hour, minute, tzinfo=PARIS)


def test_the_default_hours_are_monday_to_saturday_nine_to_seven():
    hours = SupportHours.parse(Settings().support_hours)
    assert hours.weekly == {day: (time(9), time(19)) for day in range(6)}
    assert not hours.always and hours.timezone == "Europe/Paris"


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        (paris("2026-12-07", 8, 59), False),
        (paris("2026-12-07", 9, 0), True),
        (paris("2026-12-07", 18, 59), True),
        (paris("2026-12-07", 19, 0), False),
        # Summer time: 07:00 UTC is 09:00 in Paris, 16:59 UTC is 18:59.
        (datetime(2026, 6, 15, 6, 59, tzinfo=timezone.utc), False),
        (datetime(2026, 6, 15, 7, 0, tzinfo=timezone.utc), True),
        (datetime(2026, 6, 15, 16, 59, tzinfo=timezone.utc), True),
        (datetime(2026, 6, 15, 17, 0, tzinfo=timezone.utc), False),
    ],
)
def test_advisors_are_there_from_nine_until_just_before_seven_in_paris(moment, open_):
    assert SupportHours.parse(DEFAULT).is_open(moment) is open_


@pytest.mark.parametrize(
    ("value", "day"),
    [
        (DEFAULT, "2026-12-06"),  # a Sunday
        ("mon-sun 09:00-19:00", "2026-12-25"),  # Noël, a Friday
        ("mon-sun 09:00-19:00", "2026-05-01"),  # Fête du Travail, a Friday
        ("mon-sun 09:00-19:00", "2026-11-11"),  # Armistice, a Wednesday
        ("mon-sun 09:00-19:00", "2026-05-25"),  # Lundi de Pentecôte
    ],
)
def test_a_sunday_or_a_public_holiday_is_closed_even_inside_the_hours(value, day):
    hours = SupportHours.parse(value)
    assert not hours.is_open(paris(day, 11))
    assert hours.is_open(paris("2026-12-08", 11))


def test_sunday_opens_only_when_the_hours_name_it():
    assert SupportHours.parse("sun 10:00-12:00").is_open(paris("2026-12-06", 11))


def test_several_groups_give_each_day_its_own_hours():
    hours = SupportHours.parse("mon-fri 09:00-19:00; sat 09:00-17:00")
    assert hours.is_open(paris("2026-12-11", 17, 30))  # Friday
    assert not hours.is_open(paris("2026-12-12", 17, 30))  # Saturday
    assert hours.is_open(paris("2026-12-12", 16, 59))


def test_days_can_be_listed_with_commas_and_ranges_in_any_case_and_spacing():
    hours = SupportHours.parse("  MON , Wed-thu   08:30 - 12:00 ;fri 14:00-24:00 ")
    assert sorted(hours.weekly) == [0, 2, 3, 4]
    assert hours.is_open(paris("2026-12-09", 8, 30))  # Wednesday
    assert not hours.is_open(paris("2026-12-08", 10))  # Tuesday
    assert hours.is_open(paris("2026-12-11", 23, 59))  # Friday, until midnight


def test_always_keeps_advisors_available_on_sundays_holidays_and_at_night():
    hours = SupportHours.parse("Always")
    for moment in (paris("2026-12-06", 3), paris("2026-12-25", 23, 59)):
        assert hours.is_open(moment)
    assert hours.next_opening(paris("2026-12-06", 3)) is None
    assert hours.describe() == "tous les jours, à toute heure"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "is empty"),
        (" ; ", "is empty"),
        ("mon-sat", "is not like"),
        ("mon-sat 9h-19h", "is not like"),
        ("lundi 09:00-19:00", "is not like"),
        ("xyz 09:00-19:00", "'xyz' is not a day"),
        ("mon-sat 19:00-09:00", "closes before it opens"),
        ("mon-sat 09:00-09:00", "closes before it opens"),
        ("mon-sat 09:00-25:00", "'25:00' is not a time of day"),
        ("mon-sat 09:60-19:00", "'09:60' is not a time of day"),
        ("mon-sat 09:00-24:30", "'24:30' is not a time of day"),
        ("sat-mon 09:00-19:00", "'sat-mon' runs backwards"),
        ("mon-fri 09:00-19:00; fri 09:00-12:00", "fri is given twice"),
    ],
)
def test_a_bad_value_is_refused_with_what_is_wrong(value, problem):
    with pytest.raises(ConfigError, match="SUPPORT_HOURS") as refused:
        SupportHours.parse(value)
    assert problem in str(refused.value)


def test_a_bad_value_in_the_environment_stops_the_start():
    with pytest.raises(ConfigError, match="runs backwards"):
        Settings.from_env({"SUPPORT_HOURS": "sun-mon 09:00-19:00"})
    assert Settings.from_env({}).support_hours == DEFAULT


@pytest.mark.parametrize(
    ("moment", "opening"),
    [
        (paris("2026-12-05", 19, 30), paris("2026-12-07", 9)),  # Saturday evening
        (paris("2026-12-24", 19, 0), paris("2026-12-26", 9)),  # Noël is closed
        (paris("2026-12-07", 7, 0), paris("2026-12-07", 9)),  # early on Monday
        (paris("2026-12-07", 10, 0), paris("2026-12-08", 9)),  # already open
    ],
)
def test_the_next_opening_skips_sundays_and_holidays(moment, opening):
    assert SupportHours.parse(DEFAULT).next_opening(moment) == opening


def test_the_next_opening_is_in_paris_time_whatever_the_moment_s_zone():
    saturday_evening = datetime(2026, 12, 5, 18, 30, tzinfo=timezone.utc)
    opening = SupportHours.parse(DEFAULT).next_opening(saturday_evening)
    assert opening.utcoffset() == timedelta(hours=1)
    assert opening == datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc)


def _spans(slots: list[Slot]) -> list[tuple[str, str]]:
    return [(s.start.strftime("%a %H:%M"), s.end.strftime("%H:%M")) for s in slots]


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (
            paris("2026-12-07", 12, 0),  # the morning ends in exactly one hour
            [("Mon 09:00", "13:00"), ("Mon 13:00", "19:00"), ("Tue 09:00", "13:00")],
        ),
        (
            paris("2026-12-07", 12, 1),
            [("Mon 13:00", "19:00"), ("Tue 09:00", "13:00"), ("Tue 13:00", "19:00")],
        ),
        (
            paris("2026-12-07", 18, 1),  # too late for this afternoon
            [("Tue 09:00", "13:00"), ("Tue 13:00", "19:00"), ("Wed 09:00", "13:00")],
        ),
        (
            paris("2026-12-05", 18, 0),  # Saturday: Sunday is skipped
            [("Sat 13:00", "19:00"), ("Mon 09:00", "13:00"), ("Mon 13:00", "19:00")],
        ),
    ],
)
def test_callback_half_days_split_at_one_and_end_an_hour_from_now(now, expected):
    slots = SupportHours.parse(DEFAULT).callback_slots(now, count=3)
    assert _spans(slots) == expected
    assert [slot.is_morning for slot in slots] == [
        end == "13:00" for _, end in expected
    ]


def test_a_window_that_does_not_cross_one_o_clock_is_a_single_slot():
    hours = SupportHours.parse("mon 09:00-12:00; tue 14:00-18:00")
    slots = hours.callback_slots(paris("2026-12-06", 10), count=2)
    assert _spans(slots) == [("Mon 09:00", "12:00"), ("Tue 14:00", "18:00")]
    assert slots[0].key == "2026-12-07T09:00" and slots[0].is_morning
    assert not slots[1].is_morning


def test_callback_slots_skip_holidays_but_always_offers_every_day():
    christmas_eve = paris("2026-12-24", 19, 30)
    closed = SupportHours.parse(DEFAULT).callback_slots(christmas_eve, count=1)
    assert closed[0].start == paris("2026-12-26", 9)
    always = SupportHours.parse("always").callback_slots(christmas_eve, count=2)
    assert _spans(always) == [("Fri 09:00", "13:00"), ("Fri 13:00", "19:00")]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (DEFAULT, "du lundi au samedi, de 9 h à 19 h (hors jours fériés)"),
        (
            "mon-fri 09:00-19:00; sat 09:00-17:00",
            "du lundi au vendredi, de 9 h à 19 h ; le samedi, de 9 h à 17 h "
            "(hors jours fériés)",
        ),
        ("sat,sun 10:00-24:00", "le samedi et le dimanche, de 10 h à minuit"),
        ("mon,wed,fri 08:30-12:00", "lundi, mercredi, vendredi, de 8 h 30 à 12 h"),
    ],
)
def test_the_hours_are_described_in_french(value, text):
    assert SupportHours.parse(value).describe().startswith(text)


@pytest.mark.parametrize(
    ("now", "text"),
    [
        (paris("2026-12-07", 8), "aujourd'hui à 9 h 30"),
        (paris("2026-12-06", 22), "demain à 9 h 30"),
        (paris("2026-12-05", 19), "lundi 7 décembre à 9 h 30"),
        (datetime(2026, 12, 6, 23, 30, tzinfo=timezone.utc), "aujourd'hui à 9 h 30"),
    ],
)
def test_a_moment_is_said_as_today_tomorrow_or_the_day_without_the_year(now, text):
    assert french_moment(paris("2026-12-07", 9, 30), now) == text


def test_a_slot_is_said_as_its_day_and_its_hours():
    morning = Slot(paris("2026-12-01", 9), paris("2026-12-01", 13))
    assert french_slot(morning, paris("2026-11-26", 10)) == (
        "mardi 1er décembre, entre 9 h et 13 h"
    )
    assert french_slot(morning, paris("2026-11-30", 10)) == (
        "demain, entre 9 h et 13 h"
    )
