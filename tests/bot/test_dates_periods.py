"""Periods customers name instead of a day, and their `date_period` value."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dates.periods import Period, requested_period

TUESDAY = date(2026, 12, 1)  # early December: January is next year
LATE_NOVEMBER = date(2026, 11, 26)  # a Thursday


def _period(text: str, today: date = TUESDAY) -> str | None:
    found = requested_period(text, today)
    return found.iso() if found else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fin décembre", "2026-12-21/2026-12-31"),
        ("FIN DECEMBRE", "2026-12-21/2026-12-31"),
        ("jsp, fin dec. ?", "2026-12-21/2026-12-31"),
        ("début janvier", "2027-01-01/2027-01-10"),
        ("debut janv", "2027-01-01/2027-01-10"),
        ("au début du mois de février", "2027-02-01/2027-02-10"),
        ("mi-janvier", "2027-01-11/2027-01-20"),
        ("mi fév", "2027-02-11/2027-02-20"),
        ("milieu de janvier", "2027-01-11/2027-01-20"),
        ("fin du mois de janvier", "2027-01-21/2027-01-31"),
        ("à la fin de janvier", "2027-01-21/2027-01-31"),
        ("mi-novembre", "2027-11-11/2027-11-20"),
    ],
)
def test_the_end_start_or_middle_of_a_named_month(text: str, expected: str) -> None:
    assert _period(text) == expected


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("fin du mois", LATE_NOVEMBER, "2026-11-21/2026-11-30"),
        ("a la fin du mois", TUESDAY, "2026-12-21/2026-12-31"),
        ("en fin de mois", LATE_NOVEMBER, "2026-11-21/2026-11-30"),
        ("milieu du mois", TUESDAY, "2026-12-11/2026-12-20"),
        ("fin du mois prochain", TUESDAY, "2027-01-21/2027-01-31"),
        ("début du mois prochain", LATE_NOVEMBER, "2026-12-01/2026-12-10"),
        ("courant du mois", TUESDAY, "2026-12-01/2026-12-31"),
    ],
)
def test_the_month_without_its_name_is_this_one_or_the_next(
    text: str, today: date, expected: str
) -> None:
    assert _period(text, today) == expected


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("en janvier", TUESDAY, "2027-01-01/2027-01-31"),
        ("courant janvier", TUESDAY, "2027-01-01/2027-01-31"),
        ("dans le mois de mars", TUESDAY, "2027-03-01/2027-03-31"),
        ("pour avril", TUESDAY, "2027-04-01/2027-04-30"),
        ("n'importe quand en fevrier", TUESDAY, "2027-02-01/2027-02-28"),
        ("en février", date(2027, 12, 1), "2028-02-01/2028-02-29"),
        ("en décembre", date(2026, 12, 15), "2026-12-01/2026-12-31"),
        ("en novembre", TUESDAY, "2027-11-01/2027-11-30"),
    ],
)
def test_a_whole_month_is_the_next_one_not_yet_over(
    text: str, today: date, expected: str
) -> None:
    assert _period(text, today) == expected


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("la semaine prochaine", TUESDAY, "2026-12-07/2026-12-13"),
        ("semaine prochaine stp", TUESDAY, "2026-12-07/2026-12-13"),
        ("la semaine pro", LATE_NOVEMBER, "2026-11-30/2026-12-06"),
        ("la semaine d'après", TUESDAY, "2026-12-07/2026-12-13"),
        ("cette semaine", TUESDAY, "2026-12-01/2026-12-06"),
        ("cette semaine", date(2026, 12, 6), "2026-12-06/2026-12-06"),
        ("le mois prochain", TUESDAY, "2027-01-01/2027-01-31"),
        ("le mois d'apres", LATE_NOVEMBER, "2026-12-01/2026-12-31"),
        ("le mois suivant", date(2026, 1, 31), "2026-02-01/2026-02-28"),
    ],
)
def test_weeks_run_monday_to_sunday_and_months_follow_todays(
    text: str, today: date, expected: str
) -> None:
    assert _period(text, today) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("après les fêtes", "2027-01-02/2027-01-10"),
        ("apres les fetes", "2027-01-02/2027-01-10"),
        ("après le nouvel an", "2027-01-02/2027-01-10"),
        ("après le jour de l'an", "2027-01-02/2027-01-10"),
        ("après Noël", "2026-12-26/2026-12-31"),
        ("plutôt après noel svp", "2026-12-26/2026-12-31"),
        ("après noël et avant le nouvel an", "2026-12-26/2026-12-31"),
        ("avant Noël", "2026-12-01/2026-12-24"),
        ("avant les fêtes", "2026-12-01/2026-12-24"),
        ("entre Noël et le nouvel an", "2026-12-26/2026-12-31"),
        ("entre noel et nouvel an", "2026-12-26/2026-12-31"),
        ("entre les fêtes et le jour de l'an", "2026-12-26/2026-12-31"),
    ],
)
def test_the_year_end_holidays_bound_periods(text: str, expected: str) -> None:
    assert _period(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "le plus tôt possible",
        "dès que possible",
        "des que possible svp",
        "au plus vite",
        "au plus tôt",
        "asap",
        "le plus vite possible",
        "le plus rapidement possible",
    ],
)
def test_as_soon_as_possible_is_the_next_sixty_days(text: str) -> None:
    assert requested_period(text, TUESDAY) == Period(
        date(2026, 12, 1), date(2027, 1, 29)
    )


@pytest.mark.parametrize("text", ["le plus tard possible", "au plus tard possible svp"])
def test_as_late_as_possible_marks_the_period_to_offer_its_last_days(
    text: str,
) -> None:
    assert requested_period(text, TUESDAY) == Period(
        date(2026, 12, 1), date(2027, 3, 31), latest=True
    )


@pytest.mark.parametrize(
    "text",
    [
        "pas en janvier",
        "tout sauf en janvier",
        "sauf fin décembre",
        "jamais fin décembre",
        "surtout pas la semaine prochaine",
        "pas cette semaine",
        "pas le mois prochain",
        "pas avant noël",
        "évitez après les fêtes",
        "sauf entre noël et le nouvel an",
    ],
)
def test_a_refused_period_is_not_asked_for(text: str) -> None:
    assert requested_period(text, TUESDAY) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pas début janvier mais fin janvier", "2027-01-21/2027-01-31"),
        ("pas en janvier mais en février", "2027-02-01/2027-02-28"),
    ],
)
def test_the_period_after_a_refused_one_is_asked_for(text: str, expected: str) -> None:
    assert _period(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "fin",
        "c la fin",
        "à la fin",
        "en fin de compte",
        "depuis le début",
        "le mois dernier",
        "en mairie",
        "vers le 15",
        "bonjour",
        "",
    ],
)
def test_words_that_name_no_period_give_none(text: str) -> None:
    assert requested_period(text, TUESDAY) is None


@pytest.mark.parametrize(
    ("period", "value"),
    [
        (Period(date(2026, 12, 21), date(2026, 12, 31)), "2026-12-21/2026-12-31"),
        (
            Period(date(2026, 12, 1), date(2027, 3, 31), latest=True),
            "2026-12-01/2027-03-31/latest",
        ),
    ],
)
def test_a_period_goes_to_its_entity_value_and_back(period: Period, value: str) -> None:
    assert period.iso() == value
    assert Period.from_iso(value) == period


@pytest.mark.parametrize(
    "value",
    [
        "",
        "bonjour",
        "2026-12-21",
        "2026-12-21/",
        "2026-12-21/demain",
        "2026-13-01/2026-12-31",
        "21/12/2026",
    ],
)
def test_reading_back_anything_else_gives_none(value: str) -> None:
    assert Period.from_iso(value) is None
