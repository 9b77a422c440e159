"""Days named by the calendar: Noël, the réveillons, the jour de l'an, the nth
weekday of a month, read through `requested_date`."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dates import find_dates, requested_date

EARLY_DECEMBER = date(2026, 12, 1)  # a Tuesday; Christmas 2026 is a Friday
AFTER_CHRISTMAS = date(2026, 12, 27)  # a Sunday; Christmas 2027 is a Saturday


def _asked(text: str, today: date = EARLY_DECEMBER) -> str | None:
    found = requested_date(text, today)
    return found.value.isoformat() if found else None


@pytest.mark.parametrize(
    ("text", "early", "late"),
    [
        ("Noël", "2026-12-25", "2027-12-25"),
        ("le jour de noel", "2026-12-25", "2027-12-25"),
        ("à noel svp", "2026-12-25", "2027-12-25"),
        ("pour noêl", "2026-12-25", "2027-12-25"),
        ("noell", "2026-12-25", "2027-12-25"),
        ("le lendemain de Noël", "2026-12-26", "2027-12-26"),
        ("la veille de noel", "2026-12-24", "2027-12-24"),
        ("le réveillon", "2026-12-24", "2027-12-24"),
        ("le reveillon de noel", "2026-12-24", "2027-12-24"),
    ],
)
def test_christmas_days_are_this_years_until_they_are_past(
    text: str, early: str, late: str
) -> None:
    assert _asked(text, EARLY_DECEMBER) == early
    assert _asked(text, AFTER_CHRISTMAS) == late


@pytest.mark.parametrize(
    "text",
    [
        "le réveillon du nouvel an",
        "le reveillon du 31",
        "le réveillon de la saint sylvestre",
        "la Saint-Sylvestre",
        "la st sylvestre",
        "la St-Sylvestre",
    ],
)
def test_new_years_eve_is_the_31st_still_ahead_after_christmas(text: str) -> None:
    assert _asked(text, EARLY_DECEMBER) == "2026-12-31"
    assert _asked(text, AFTER_CHRISTMAS) == "2026-12-31"


@pytest.mark.parametrize(
    "text",
    [
        "le jour de l'an",
        "le jour de lan",
        "le nouvel an",
        "au nouvel an",
        "le premier de l'an",
        "le 1er de l'an",
    ],
)
def test_new_years_day_is_the_next_first_of_january(text: str) -> None:
    assert _asked(text, EARLY_DECEMBER) == "2027-01-01"
    assert _asked(text, AFTER_CHRISTMAS) == "2027-01-01"


@pytest.mark.parametrize(
    ("text", "today"),
    [
        ("Noël", date(2026, 12, 25)),
        ("la veille de noël", date(2026, 12, 24)),
        ("le lendemain de Noël", date(2026, 12, 26)),
        ("la Saint-Sylvestre", date(2026, 12, 31)),
        ("le jour de l'an", date(2027, 1, 1)),
    ],
)
def test_a_festive_day_that_is_today_is_today(text: str, today: date) -> None:
    assert _asked(text, today) == today.isoformat()


def test_a_festive_day_just_past_is_next_years() -> None:
    assert _asked("noël", date(2026, 12, 26)) == "2027-12-25"
    assert _asked("le jour de l'an", date(2027, 1, 2)) == "2028-01-01"


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("le samedi après Noël", EARLY_DECEMBER, "2026-12-26"),
        ("le samedi d'après Noël", EARLY_DECEMBER, "2026-12-26"),
        ("le samdi d apres noel", EARLY_DECEMBER, "2026-12-26"),
        ("le jeudi d'après noël", EARLY_DECEMBER, "2026-12-31"),
        ("le lundi avant Noël", EARLY_DECEMBER, "2026-12-21"),
        ("dimanche avant noel", EARLY_DECEMBER, "2026-12-20"),
        ("le vendredi avant noel", AFTER_CHRISTMAS, "2027-12-24"),
    ],
)
def test_a_weekday_before_or_after_christmas_is_counted_from_christmas(
    text: str, today: date, expected: str
) -> None:
    assert _asked(text, today) == expected


def test_the_weekday_after_a_christmas_on_that_weekday_is_a_week_later() -> None:
    # Christmas 2027 is a Saturday: "the Saturday after" is 1 January 2028.
    assert _asked("le samedi après Noël", AFTER_CHRISTMAS) == "2028-01-01"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("le premier lundi de janvier", "2027-01-04"),
        ("le 1er lundi de janvier", "2027-01-04"),
        ("le 1er samedi en janvier", "2027-01-02"),
        ("le 2e samedi de janvier", "2027-01-09"),
        ("le second samedi de janvier", "2027-01-09"),
        ("le deuxième mardi de février", "2027-02-09"),
        ("je veux le 3e samedi de janvier", "2027-01-16"),
        ("le 3eme jeudi de mars", "2027-03-18"),
        ("le premier samedi de décembre", "2026-12-05"),
        ("le dernier samedi de décembre", "2026-12-26"),
        ("le dernier vendredi de décembre", "2026-12-25"),
        ("le dernier lundi en décembre", "2026-12-28"),
    ],
)
def test_the_nth_or_last_weekday_of_a_month(text: str, expected: str) -> None:
    assert _asked(text) == expected


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("le premier mardi de décembre", EARLY_DECEMBER, "2026-12-01"),
        ("le dernier dimanche de décembre", AFTER_CHRISTMAS, "2026-12-27"),
        ("le dernier samedi de décembre", AFTER_CHRISTMAS, "2027-12-25"),
        ("le dernier lundi de novembre", EARLY_DECEMBER, "2027-11-29"),
        ("le premier samedi de décembre", AFTER_CHRISTMAS, "2027-12-04"),
        ("le premier lundi de janvier", date(2027, 1, 5), "2028-01-03"),
    ],
)
def test_an_nth_weekday_is_this_months_until_it_is_past(
    text: str, today: date, expected: str
) -> None:
    assert _asked(text, today) == expected


@pytest.mark.parametrize(
    "text",
    [
        "après Noël",
        "plutôt après noël svp",
        "avant noël",
        "après le nouvel an",
        "après le jour de l'an",
        "avant le 1er de l'an",
        "entre Noël et le nouvel an",
        "entre noel et le jour de l'an",
        "entre les fêtes et le nouvel an",
    ],
)
def test_a_holiday_bounding_a_period_is_not_the_day_asked_for(text: str) -> None:
    assert requested_date(text, EARLY_DECEMBER) is None
    assert find_dates(text, EARLY_DECEMBER) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("après noël, le 28", "2026-12-28"),
        ("le 28 après noël", "2026-12-28"),
        ("après Noël, plutôt le 29 décembre", "2026-12-29"),
        ("le lendemain de noël svp, pas le 25", "2026-12-26"),
        ("pas à noël, le lendemain de noël", "2026-12-26"),
    ],
)
def test_a_precise_day_beside_the_holidays_is_the_one_asked_for(
    text: str, expected: str
) -> None:
    assert _asked(text) == expected


def test_the_holiday_words_are_what_the_customer_wrote() -> None:
    found = requested_date("je voudrais le lendemain de Noël", EARLY_DECEMBER)
    assert found is not None
    assert found.text == "lendemain de Noël"
