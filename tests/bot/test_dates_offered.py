"""Which of the dates the assistant offered a customer picks."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dates.offered import pick_offered

TODAY = date(2026, 12, 1)
MONDAY, TUESDAY, FRIDAY = date(2026, 12, 14), date(2026, 12, 15), date(2026, 12, 18)
OFFERED = [MONDAY, TUESDAY, FRIDAY]
# The 18th twice (December and January); one Monday, one Tuesday in January.
SAME_DAY = [date(2026, 12, 18), date(2027, 1, 18), date(2027, 1, 19)]
# Two Mondays and one Wednesday.
SAME_WEEKDAY = [date(2026, 12, 14), date(2026, 12, 21), date(2026, 12, 23)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("la première", MONDAY),
        ("la premiere", MONDAY),
        ("la 1ere", MONDAY),
        ("la 1re", MONDAY),
        ("le premier", MONDAY),
        ("premiere", MONDAY),
        ("ok pour la première", MONDAY),
        ("la 2e", TUESDAY),
        ("la deuxième", TUESDAY),
        ("la deuxieme svp", TUESDAY),
        ("la seconde", TUESDAY),
        ("la 2eme date", TUESDAY),
        ("la deuxième proposée", TUESDAY),
        ("deuxieme", TUESDAY),
        ("la 3eme", FRIDAY),
        ("la troisième", FRIDAY),
        ("la dernière", FRIDAY),
        ("la derniere stp", FRIDAY),
        ("le dernier", FRIDAY),
        ("derniere", FRIDAY),
    ],
)
def test_a_rank_picks_the_offered_date_in_that_place(text: str, expected: date) -> None:
    assert pick_offered(text, TODAY, OFFERED) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", MONDAY),
        ("2", TUESDAY),
        ("3", FRIDAY),
        ("la 1", MONDAY),
        ("je prends la 2", TUESDAY),
        ("la 2 svp", TUESDAY),
        ("option 2", TUESDAY),
        ("choix 3", FRIDAY),
        ("numéro 2", TUESDAY),
    ],
)
def test_a_number_alone_or_after_la_or_option_is_a_rank(
    text: str, expected: date
) -> None:
    assert pick_offered(text, TODAY, OFFERED) == expected


@pytest.mark.parametrize("text", ["4", "la 4e", "la cinquième", "option 6"])
def test_a_rank_beyond_the_offered_dates_picks_nothing(text: str) -> None:
    assert pick_offered(text, TODAY, OFFERED) is None


@pytest.mark.parametrize(
    "text", ["le 2", "le 3 svp", "je suis pas là 2 jours", "pas là 2 semaines"]
)
def test_le_2_is_a_day_and_a_count_is_no_rank(text: str) -> None:
    assert pick_offered(text, TODAY, OFFERED) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("le 18", FRIDAY),
        ("celle du 18", FRIDAY),
        ("plutôt celle du 15", TUESDAY),
        ("le 15 svp", TUESDAY),
        ("va pour le 14", MONDAY),
    ],
)
def test_a_day_without_its_month_picks_the_offered_date_on_that_day(
    text: str, expected: date
) -> None:
    assert pick_offered(text, TODAY, OFFERED) == expected


@pytest.mark.parametrize(
    ("text", "offered"),
    [
        ("celle du 18", SAME_DAY),
        ("le 18", SAME_DAY),
        ("le 20", OFFERED),
        ("celle du 16", OFFERED),
        ("le 14 ou le 15", OFFERED),
    ],
)
def test_a_day_that_no_single_offered_date_has_picks_nothing(
    text: str, offered: list[date]
) -> None:
    assert pick_offered(text, TODAY, offered) is None


@pytest.mark.parametrize(
    ("text", "offered", "expected"),
    [
        ("mardi", OFFERED, TUESDAY),
        ("celle du mardi", OFFERED, TUESDAY),
        ("vendredi ça m'arrange", OFFERED, FRIDAY),
        ("lundi", OFFERED, MONDAY),
        ("mardi", SAME_DAY, date(2027, 1, 19)),
        ("le mercredi", SAME_WEEKDAY, date(2026, 12, 23)),
    ],
)
def test_a_weekday_picks_the_only_offered_date_on_that_weekday(
    text: str, offered: list[date], expected: date
) -> None:
    assert pick_offered(text, TODAY, offered) == expected


@pytest.mark.parametrize(
    ("text", "offered"),
    [("jeudi", OFFERED), ("lundi", SAME_WEEKDAY), ("lundi ou mardi", OFFERED)],
)
def test_a_weekday_no_single_offered_date_has_picks_nothing(
    text: str, offered: list[date]
) -> None:
    assert pick_offered(text, TODAY, offered) is None


@pytest.mark.parametrize(
    "text",
    [
        "le 1er janvier",
        "le 18 décembre",
        "le 18/12",
        "mardi 15 décembre",
        "la première, le 1er janvier non",
    ],
)
def test_a_date_with_its_month_is_never_a_pick(text: str) -> None:
    assert pick_offered(text, TODAY, OFFERED) is None


@pytest.mark.parametrize("text", ["la première", "1", "le 18", "mardi"])
def test_nothing_is_picked_when_nothing_was_offered(text: str) -> None:
    assert pick_offered(text, TODAY, []) is None


@pytest.mark.parametrize("text", ["aucune", "aucune ne me va", "bonjour", ""])
def test_a_message_pointing_at_no_date_picks_nothing(text: str) -> None:
    assert pick_offered(text, TODAY, OFFERED) is None
