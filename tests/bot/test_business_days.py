"""Jours ouvrables: Monday to Saturday, minus French national public holidays."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.business_days import holiday_name, is_business_day, next_business_day

HOLIDAYS = [
    (date(2026, 1, 1), "Jour de l'an"),
    (date(2026, 4, 6), "Lundi de Pâques"),
    (date(2026, 5, 1), "Fête du Travail"),
    (date(2026, 5, 8), "Fête de la Victoire"),
    (date(2026, 5, 14), "Ascension"),
    (date(2026, 5, 25), "Lundi de Pentecôte"),
    (date(2026, 7, 14), "Fête nationale"),
    (date(2026, 8, 15), "Assomption"),
    (date(2026, 11, 1), "Toussaint"),
    (date(2026, 11, 11), "Armistice"),
    (date(2026, 12, 25), "Noël"),
    (date(2027, 1, 1), "Jour de l'an"),
    (date(2027, 3, 29), "Lundi de Pâques"),
    (date(2027, 5, 1), "Fête du Travail"),
    (date(2027, 5, 6), "Ascension"),
    (date(2027, 5, 8), "Fête de la Victoire"),
    (date(2027, 5, 17), "Lundi de Pentecôte"),
    (date(2027, 7, 14), "Fête nationale"),
    (date(2027, 8, 15), "Assomption"),
    (date(2027, 11, 1), "Toussaint"),
    (date(2027, 11, 11), "Armistice"),
    (date(2027, 12, 25), "Noël"),
]


@pytest.mark.parametrize(
    "sunday", [date(2026, 5, 31), date(2026, 12, 6), date(2027, 1, 3)]
)
def test_a_sunday_is_not_a_business_day(sunday):
    assert sunday.weekday() == 6
    assert not is_business_day(sunday)


@pytest.mark.parametrize(
    "day", [date(2026, 5, 30), date(2026, 12, 5), date(2027, 1, 2), date(2026, 6, 1)]
)
def test_an_ordinary_monday_or_saturday_is_a_business_day(day):
    assert is_business_day(day)
    assert holiday_name(day) is None


@pytest.mark.parametrize(("day", "name"), HOLIDAYS)
def test_each_french_national_holiday_is_named_and_not_a_business_day(day, name):
    assert holiday_name(day) == name
    assert not is_business_day(day)


@pytest.mark.parametrize("year", [2026, 2027])
def test_the_list_of_holidays_is_complete(year):
    listed = {day for day, _ in HOLIDAYS if day.year == year}
    days = (date(year, 1, 1) + timedelta(days=n) for n in range(365))
    found = {day for day in days if holiday_name(day) is not None}
    assert found == listed


@pytest.mark.parametrize(
    "saturday", [date(2026, 8, 15), date(2027, 5, 1), date(2027, 5, 8)]
)
def test_a_holiday_on_a_saturday_is_not_a_business_day(saturday):
    assert saturday.weekday() == 5
    assert not is_business_day(saturday)


@pytest.mark.parametrize(
    "regional",
    [date(2026, 4, 3), date(2026, 12, 26)],  # Alsace-Moselle only
)
def test_a_regional_holiday_is_still_a_business_day(regional):
    assert holiday_name(regional) is None
    assert is_business_day(regional)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 6, 2), date(2026, 6, 2)),  # a Tuesday stays
        (date(2026, 5, 30), date(2026, 5, 30)),  # a Saturday stays
        (date(2026, 5, 31), date(2026, 6, 1)),  # Sunday -> Monday
        (date(2026, 5, 24), date(2026, 5, 26)),  # Sunday, then Lundi de Pentecôte
        (date(2026, 5, 25), date(2026, 5, 26)),  # Lundi de Pentecôte -> Tuesday
        (date(2027, 5, 1), date(2027, 5, 3)),  # Saturday holiday, then Sunday
        (date(2026, 12, 25), date(2026, 12, 26)),  # Noël (Friday) -> Saturday
        (date(2026, 12, 31), date(2026, 12, 31)),
        (date(2027, 12, 25), date(2027, 12, 27)),
    ],
)
def test_the_next_business_day_is_the_day_itself_or_the_first_after_it(day, expected):
    assert next_business_day(day) == expected
