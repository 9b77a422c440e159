"""The French date resolver: what is a date, which is asked for, how it is written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.dates import FoundDate, find_dates, format_french_date, requested_date

THURSDAY = date(2026, 11, 26)  # late November: January is next year
DEV_SET = Path(__file__).resolve().parents[1] / "dates" / "dev.yml"


def _asked(text: str, today: date = THURSDAY) -> str | None:
    found = requested_date(text, today)
    return found.value.isoformat() if found else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("le 15 décembre", "2026-12-15"),
        ("15 janvier", "2027-01-15"),
        ("le 26 novembre", "2026-11-26"),
        ("le 3 février prochain", "2027-02-03"),
        ("lundi 4 janvier", "2027-01-04"),
        ("le 15 décembre 2027", "2027-12-15"),
        ("le 15 décembre 2025", "2025-12-15"),
    ],
)
def test_a_day_and_month_is_the_next_one_on_or_after_today(
    text: str, expected: str
) -> None:
    assert _asked(text) == expected


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("le 18", THURSDAY, "2026-12-18"),
        ("le 27", THURSDAY, "2026-11-27"),
        ("le 2", date(2026, 12, 28), "2027-01-02"),
        ("le 31", date(2026, 6, 15), "2026-07-31"),
        ("le 29", date(2028, 2, 20), "2028-02-29"),
        ("le 1er", date(2026, 8, 31), "2026-09-01"),
        ("le 18 du mois prochain", date(2026, 8, 31), "2026-09-18"),
    ],
)
def test_a_day_alone_is_the_next_such_day_of_a_month(
    text: str, today: date, expected: str
) -> None:
    assert _asked(text, today) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mardi", "2026-12-01"),
        ("mardi prochain", "2026-12-01"),
        ("ce samedi", "2026-11-28"),
        ("lundi en huit", "2026-12-07"),
        ("mardi en quinze", "2026-12-15"),
        ("lundi de la semaine prochaine", "2026-11-30"),
        ("demain", "2026-11-27"),
        ("après-demain", "2026-11-28"),
        ("dans 10 jours", "2026-12-06"),
        ("dans deux semaines", "2026-12-10"),
        ("ds 3 semaines stp", "2026-12-17"),
        ("dans un mois", "2026-12-26"),
    ],
)
def test_weekdays_and_relative_words_count_from_today(text: str, expected: str) -> None:
    assert _asked(text) == expected


@pytest.mark.parametrize(
    ("today", "text", "expected"),
    [
        (date(2026, 1, 31), "dans un mois", "2026-02-28"),
        (date(2028, 1, 31), "dans un mois", "2028-02-29"),
        (date(2026, 8, 31), "dans un mois", "2026-09-30"),
        (date(2026, 12, 28), "dans une semaine", "2027-01-04"),
    ],
)
def test_steps_cross_month_ends_year_ends_and_leap_days(
    today: date, text: str, expected: str
) -> None:
    assert _asked(text, today) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15/12", "2026-12-15"),
        ("15.12", "2026-12-15"),
        ("15-12", "2026-12-15"),
        ("15/12/2026", "2026-12-15"),
        ("15/12/26", "2026-12-15"),
        ("le 15 12", "2026-12-15"),
        ("2026-12-15", "2026-12-15"),
    ],
)
def test_numeric_dates_are_day_then_month(text: str, expected: str) -> None:
    assert _asked(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("le quinze décembre", "2026-12-15"),
        ("le vingt-deux décembre", "2026-12-22"),
        ("le vingt et un décembre", "2026-12-21"),
        ("le trente et un décembre", "2026-12-31"),
        ("le 1er décembre", "2026-12-01"),
        ("15 déc.", "2026-12-15"),
    ],
)
def test_written_dates_accept_spelled_numbers_and_abbreviations(
    text: str, expected: str
) -> None:
    assert _asked(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("le 15 decembre", "2026-12-15"),
        ("le 2 fevrier", "2027-02-02"),
        ("le 2 févier", "2027-02-02"),
        ("le 15 janvie", "2027-01-15"),
        ("le 20 aout", "2027-08-20"),
        ("le 5 sept", "2027-09-05"),
        ("samdi", "2026-11-28"),
        ("mercredy", "2026-12-02"),
        ("vendredie", "2026-11-27"),
    ],
)
def test_month_and_weekday_names_survive_one_typo(text: str, expected: str) -> None:
    assert _asked(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("le 20 mai", "2027-05-20"),
        ("mai", None),
        ("mais le 20 me va mieux", "2026-12-20"),
        ("le 8 mais pas avant midi", "2026-12-08"),
    ],
)
def test_mai_is_a_month_only_next_to_a_day_and_mais_never_is(
    text: str, expected: str | None
) -> None:
    assert _asked(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "le plus tôt possible",
        "dès que possible",
        "la semaine prochaine",
        "fin décembre",
        "début janvier",
        "vers la mi-décembre",
        "la semaine du 14 décembre",
        "tous les mardis",
        "de préférence un lundi",
    ],
)
def test_vague_answers_give_no_date(text: str) -> None:
    assert find_dates(text, THURSDAY) == []


@pytest.mark.parametrize(
    "text",
    ["31 novembre", "le 30 février", "le 32", "31/06", "15/13", "29/02/2027"],
)
def test_dates_that_do_not_exist_give_nothing(text: str) -> None:
    assert find_dates(text, THURSDAY) == []


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2027, 2, 10), "2028-02-29"), (date(2028, 2, 20), "2028-02-29")],
)
def test_a_29_february_without_year_is_the_next_leap_day(
    today: date, expected: str
) -> None:
    assert _asked("le 29 février", today) == expected


@pytest.mark.parametrize(
    "text",
    [
        "mon numéro est le 06 12 34 56 78",
        "joignable au 06.12.34.56.78",
        "ma commande CMD-2026-004512",
        "mon RIO 02 P K7T 2QX TB6",
        "le code est 482 913",
        "écrivez à marie.dupont@example.fr",
        "le forfait à 19,99 €",
        "code postal 75011, 20 euros",
        "rappelez-moi à 14h",
        "à 9 h",
        "appelez le 3179",
        "j'ai 2 lignes",
        "ça prend 3 jours",
    ],
)
def test_numbers_that_are_not_dates_are_ignored(text: str) -> None:
    assert find_dates(text, THURSDAY) == []


def test_identifiers_are_masked_but_the_date_beside_them_is_found() -> None:
    text = "mon 06 12 34 56 78, code 482 913, portabilité le 15/12 à 14h"
    assert [(d.value, d.text) for d in find_dates(text, THURSDAY)] == [
        (date(2026, 12, 15), "15/12")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("du 8 décembre au 15 décembre", "2026-12-15"),
        ("au lieu du 8, le 15", "2026-12-15"),
        ("pas le 8 mais le 15", "2026-12-15"),
        ("décaler le 8 décembre au 15", "2026-12-15"),
        ("le 15 au lieu du 8", "2026-12-15"),
        ("le 15 plutôt que le 8", "2026-12-15"),
        ("le 15 et non le 8", "2026-12-15"),
        ("mettez le 15, le 8 ne me va pas", "2026-12-15"),
        ("prévue le 2 décembre, je voudrais le 9", "2026-12-09"),
        ("le 8 décembre, décalez d'une semaine", "2026-12-15"),
        ("le lendemain du 8 décembre", "2026-12-09"),
        ("le 15 ou le 16", "2026-12-16"),
    ],
)
def test_the_requested_date_is_the_new_one_when_a_date_moves(
    text: str, expected: str
) -> None:
    assert _asked(text) == expected


@pytest.mark.parametrize(
    "text",
    ["je ne peux pas le 4 décembre", "j'ai appelé hier", "en panne depuis le 3 mars"],
)
def test_a_date_refused_or_in_the_past_is_not_requested(text: str) -> None:
    assert find_dates(text, THURSDAY) != []
    assert requested_date(text, THURSDAY) is None


def test_every_date_is_found_in_reading_order_with_its_position() -> None:
    text = "du 8 au 15 décembre"
    assert find_dates(text, THURSDAY) == [
        FoundDate(date(2026, 12, 8), 3, 4, "8"),
        FoundDate(date(2026, 12, 15), 8, 19, "15 décembre"),
    ]


@pytest.mark.parametrize(
    ("month", "name"),
    list(
        enumerate(
            "janvier février mars avril mai juin juillet août septembre octobre "
            "novembre décembre".split(),
            start=1,
        )
    ),
)
def test_every_month_is_written_in_french(month: int, name: str) -> None:
    assert format_french_date(date(2027, month, 15)).split()[2] == name


@pytest.mark.parametrize(
    ("day", "name"),
    enumerate("lundi mardi mercredi jeudi vendredi samedi dimanche".split(), start=7),
)
def test_every_weekday_is_written_in_french(day: int, name: str) -> None:
    assert format_french_date(date(2026, 12, day)) == f"{name} {day} décembre 2026"


def test_the_first_of_the_month_is_written_1er() -> None:
    assert format_french_date(date(2026, 12, 1)) == "mardi 1er décembre 2026"


def test_the_resolver_is_right_on_every_case_of_the_dev_set() -> None:
    cases = yaml.safe_load(DEV_SET.read_text(encoding="utf-8"))["cases"]
    answers = [(case, _asked(case["text"], case["today"])) for case in cases]
    misses = [
        (case["text"], case["expected"], got)
        for case, got in answers
        if got != (case["expected"].isoformat() if case["expected"] else None)
    ]
    assert len(cases) >= 150
    assert misses == []
