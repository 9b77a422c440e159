"""RIO format and ARCEP key."""

from __future__ import annotations

import pytest

from bot.rio import InvalidRio, is_valid_rio, rio_key, validate_rio

FIXTURE_RIOS = [
    ("02PK7T2QXTB6", "0612345678"),
    ("01PA3B9ZPCNY", "0623456789"),
    ("03P9XQ2LMVMB", "0745678901"),
    ("02PTT41ABY6I", "0767890123"),
    ("01PZK29DEA79", "0634567890"),
]


@pytest.mark.parametrize(("rio", "msisdn"), FIXTURE_RIOS)
def test_the_key_of_each_fixture_rio_is_computed_from_its_number(rio, msisdn):
    assert rio_key(rio[:9], msisdn) == rio[9:]


@pytest.mark.parametrize(("rio", "msisdn"), FIXTURE_RIOS)
def test_each_fixture_rio_is_valid_for_its_number(rio, msisdn):
    validate_rio(rio, msisdn)
    assert is_valid_rio(rio, msisdn)


@pytest.mark.parametrize(("rio", "msisdn"), FIXTURE_RIOS)
def test_a_fixture_rio_is_invalid_for_another_number(rio, msisdn):
    other = "0699999999"
    assert not is_valid_rio(rio, other)


def test_a_key_may_contain_a_plus_sign():
    assert rio_key("01PXYZAAB", "0612345678") == "+WK"
    assert is_valid_rio("01PXYZAAB+WK", "0612345678")


@pytest.mark.parametrize(
    "typed", ["02 PK7 T2Q XTB6", "02pk7t2qxtb6", " 02PK7T2QXTB6\n", "02 p K7T 2QX tb6"]
)
def test_a_rio_is_compared_without_spaces_or_case(typed):
    assert is_valid_rio(typed, "0612345678")


@pytest.mark.parametrize(
    ("rio", "msisdn", "reason", "words"),
    [
        ("02PK7T2QXTB", "0612345678", "length", "12 caractères attendus, 11 reçus"),
        ("02PK7T2QXTB66", "0612345678", "length", "12 caractères attendus, 13 reçus"),
        ("", "0612345678", "length", "0 reçus"),
        ("02PK7T2Q-TB6", "0612345678", "characters", "caractères non autorisés"),
        ("02PK7T2QXTÉ6", "0612345678", "characters", "caractères non autorisés"),
        ("02PK7T+QXTB6", "0612345678", "characters", "caractères non autorisés"),
        ("02XK7T2QX1+O", "0612345678", "type", "doit être P ou E, pas 'X'"),
        ("021K7T2QXTB6", "0612345678", "type", "doit être P ou E"),
        ("02PK7T2QXTB7", "0612345678", "key", "la clé TB7 ne correspond pas"),
        ("02PK7T2QXTB6", "0623456789", "key", "ne correspond pas au numéro 0623456789"),
        ("02PK7T2QXTB6", "612345678", "msisdn", "10 chiffres commençant par 0"),
        ("02PK7T2QXTB6", "6123456789", "msisdn", "10 chiffres commençant par 0"),
        ("02PK7T2QXTB6", "06 12 34 56 78", "msisdn", "10 chiffres"),
    ],
)
def test_each_kind_of_bad_rio_is_refused_with_its_reason(rio, msisdn, reason, words):
    with pytest.raises(InvalidRio) as caught:
        validate_rio(rio, msisdn)
    assert caught.value.reason == reason
    assert words in str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert not is_valid_rio(rio, msisdn)


def test_the_message_is_also_in_english():
    with pytest.raises(InvalidRio, match=r"key does not match the number"):
        validate_rio("02PK7T2QXTB7", "0612345678")


@pytest.mark.parametrize(
    ("prefix", "msisdn", "reason"),
    [
        ("02PK7T2Q", "0612345678", "characters"),
        ("02pK7T2QX", "0612345678", "characters"),
        ("02PK7T2QX", "061234567", "msisdn"),
    ],
)
def test_a_key_is_only_computed_for_a_well_formed_prefix_and_number(
    prefix, msisdn, reason
):
    with pytest.raises(InvalidRio) as caught:
        rio_key(prefix, msisdn)
    assert caught.value.reason == reason
