"""Normalisers and the identifier scanner, including what must NOT be read as one."""

from __future__ import annotations

import pytest

from bot.normalize import (
    find_entities,
    normalize_email,
    normalize_order_id,
    normalize_otp_code,
    normalize_phone_number,
    normalize_rio,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("+33 6 12 34 56 78", "0612345678"),
        ("06 12 34 56 78", "0612345678"),
        ("06.12.34.56.78", "0612345678"),
        ("06-12-34-56-78", "0612345678"),
        ("0612345678", "0612345678"),
        ("0033745678901", "0745678901"),
        ("+33745678901", "0745678901"),
        ("+33 (0)7 45 67 89 01", "0745678901"),
        ("06 123 456 78", "0612345678"),
    ],
)
def test_phone_numbers_come_back_as_ten_national_digits(
    typed: str, expected: str
) -> None:
    assert normalize_phone_number(typed) == expected


@pytest.mark.parametrize(
    "typed",
    ["061234567", "06123456789", "0012345678", "+44 7700 900123", "06 12 34 56 7a", ""],
)
def test_what_is_not_a_french_phone_number_is_refused(typed: str) -> None:
    assert normalize_phone_number(typed) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("CMD-2026-004512", "CMD-2026-004512"),
        ("cmd-2026-004512", "CMD-2026-004512"),
        ("cmd 2026 004512", "CMD-2026-004512"),
        ("Cmd_2026_004512", "CMD-2026-004512"),
        ("CMD2026004512", "CMD-2026-004512"),
    ],
)
def test_order_ids_come_back_in_upper_case_with_dashes(
    typed: str, expected: str
) -> None:
    assert normalize_order_id(typed) == expected


@pytest.mark.parametrize(
    "typed", ["CMD-26-004512", "CMD-2026-04512", "ORD-2026-004512"]
)
def test_malformed_order_ids_are_refused(typed: str) -> None:
    assert normalize_order_id(typed) is None


def test_emails_come_back_in_lower_case() -> None:
    assert normalize_email(" Marie.Dupont@Example.FR ") == "marie.dupont@example.fr"


@pytest.mark.parametrize(
    "typed", ["marie.dupont@", "@example.fr", "marie dupont@example.fr", "x@y"]
)
def test_malformed_emails_are_refused(typed: str) -> None:
    assert normalize_email(typed) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("02 P K7T 2QX TB6", "02PK7T2QXTB6"),
        ("02PK7T2QXTB6", "02PK7T2QXTB6"),
        ("02pk7t2qxtb6", "02PK7T2QXTB6"),
        ("01 E ABC123 4+Z", "01EABC1234+Z"),
        ("02-E-7R4D1S-9QW", "02E7R4D1S9QW"),
    ],
)
def test_rio_codes_come_back_as_twelve_upper_case_characters(
    typed: str, expected: str
) -> None:
    assert normalize_rio(typed) == expected


@pytest.mark.parametrize(
    "typed", ["02XK7T2QXTB6", "02PK7T2QXTB", "AAPK7T2QXTB6", "12 personnes"]
)
def test_what_is_not_shaped_like_a_rio_is_refused(typed: str) -> None:
    assert normalize_rio(typed) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("482913", "482913"), ("482 913", "482913"), ("482-913", "482913")],
)
def test_one_time_codes_come_back_as_six_digits(typed: str, expected: str) -> None:
    assert normalize_otp_code(typed) == expected


@pytest.mark.parametrize("typed", ["48291", "4829134", "48 2913"])
def test_codes_of_another_length_are_refused(typed: str) -> None:
    assert normalize_otp_code(typed) is None


def _pairs(text: str) -> list[tuple[str, str]]:
    return [(found.entity, found.value) for found in find_entities(text)]


def test_a_lower_case_rio_in_groups_is_read_when_the_message_names_the_rio() -> None:
    assert _pairs("mon rio c'est 01 pzz 8x7 c6v5") == [("rio", "01PZZ8X7C6V5")]
    assert _pairs("je veux le 15 pour le 2 dec.") == []


def test_a_phone_number_is_never_also_read_as_a_code() -> None:
    text = "mon numéro +33 6 12 34 56 78, le code reçu 482 913"
    assert _pairs(text) == [("phone_number", "0612345678"), ("otp_code", "482913")]


def test_every_kind_of_identifier_is_found_in_one_message_in_reading_order() -> None:
    text = (
        "Commande cmd-2026-004512, RIO 02 P K7T 2QX TB6, "
        "mail Marie@Example.fr, tel 0612345678"
    )
    assert _pairs(text) == [
        ("order_id", "CMD-2026-004512"),
        ("rio", "02PK7T2QXTB6"),
        ("email", "marie@example.fr"),
        ("phone_number", "0612345678"),
    ]


def test_positions_point_at_what_the_customer_typed() -> None:
    text = "c'est le 06 12 34 56 78 merci"
    (found,) = find_entities(text)
    assert text[found.start : found.end] == "06 12 34 56 78"


@pytest.mark.parametrize(
    "text",
    [
        "j'habite au 75011 Paris",
        "mon forfait à 19,99 € par mois",
        "la portabilité du 15/12/2026 à 14h30",
        "j'ai appelé le 3179 hier",
        "12 personnes attendent en 2026",
        "06 12 34 56 78 90 12",
        "je veux le 15 pour le 2 dec.",
        "le 12 pour moi 2h",
    ],
)
def test_other_numbers_are_not_taken_for_identifiers(text: str) -> None:
    assert find_entities(text) == []
