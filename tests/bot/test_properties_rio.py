"""Property tests of the RIO key (`bot.rio`): the ARCEP key computed for a prefix
and a number validates, and any single change or swap of adjacent characters of
a valid RIO, or one digit of its number, is caught.

Why a change is always caught: the key's first character is the sum of the 19
values modulo 37, a prime, and two different characters differ by 1 to 36, never
by a multiple of 37; the second weighs position i by 2^(18-i), so swapping two
different neighbours changes it by (x - y) * 2^k, again not a multiple of 37.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.rio import (
    ALPHABET,
    PREFIX_LENGTH,
    RIO_TYPES,
    InvalidRio,
    compact_rio,
    is_valid_rio,
    rio_key,
    validate_rio,
)

PROPERTIES = settings(
    derandomize=True,  # the same examples on every run: CI is not a lottery
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
HOSTILE = settings(PROPERTIES, max_examples=300)

_PREFIX_ALPHABET = ALPHABET.replace("+", "")  # letters and digits
_DIGITS = "0123456789"

msisdns = st.text(_DIGITS, min_size=9, max_size=9).map(lambda rest: "0" + rest)
prefixes = st.builds(
    lambda operator, kind, reference: operator + kind + reference,
    st.text(_DIGITS, min_size=2, max_size=2),
    st.sampled_from(RIO_TYPES),
    st.text(_PREFIX_ALPHABET, min_size=6, max_size=6),
)
# Hostile text: every kind of code point, control characters, RTL marks, emoji,
# look-alike digits (Arabic-Indic, full-width) and letters, up to a few thousand.
_TRICKY = st.sampled_from(
    [
        "\u200f",
        "\u202e",
        "\u200b",
        "\x00",
        "\x1b",
        "\ufeff",
        "٠١٢٣٤٥٦٧٨٩",
        "０１２３４５６７８９",
        "ß",
        "ﬀ",
        "İ",
        "😀👍🏽",
        "+",
        " ",
        "\n",
    ]
)
hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(max_size=3000),
    st.lists(st.one_of(_TRICKY, st.text(ALPHABET + _DIGITS, max_size=12))).map("".join),
)
# Strings the validator's format checks let through: "0" then nine Unicode digits.
unicode_msisdns = st.text(st.characters(categories=["Nd"]), min_size=9, max_size=9).map(
    lambda rest: "0" + rest
)


def _valid_rio(prefix: str, msisdn: str) -> str:
    return prefix + rio_key(prefix, msisdn)


@PROPERTIES
@given(prefixes, msisdns)
def test_a_rio_built_with_the_computed_key_validates(prefix: str, msisdn: str) -> None:
    rio = _valid_rio(prefix, msisdn)
    validate_rio(rio, msisdn)
    assert is_valid_rio(rio, msisdn)
    key = rio[PREFIX_LENGTH:]
    assert len(key) == 3 and all(char in ALPHABET for char in key)


@PROPERTIES
@given(prefixes, msisdns, st.data())
def test_a_rio_in_lower_case_or_in_groups_still_validates(
    prefix: str, msisdn: str, data: st.DataObject
) -> None:
    rio = _valid_rio(prefix, msisdn)
    cuts = data.draw(st.lists(st.integers(1, len(rio) - 1), max_size=4, unique=True))
    spaced = rio.lower() if data.draw(st.booleans()) else rio
    for cut in sorted(cuts, reverse=True):
        spaced = (
            spaced[:cut]
            + data.draw(st.sampled_from([" ", "  ", "\t"]))
            + (spaced[cut:])
        )
    assert compact_rio(spaced) == rio
    assert is_valid_rio(spaced, msisdn)


@PROPERTIES
@given(prefixes, msisdns, st.integers(0, 11), st.sampled_from(ALPHABET))
def test_changing_any_one_character_of_a_valid_rio_breaks_it(
    prefix: str, msisdn: str, position: int, replacement: str
) -> None:
    rio = _valid_rio(prefix, msisdn)
    if rio[position] == replacement:
        replacement = ALPHABET[(ALPHABET.index(replacement) + 1) % len(ALPHABET)]
    changed = rio[:position] + replacement + rio[position + 1 :]
    assert not is_valid_rio(changed, msisdn)
    with pytest.raises(InvalidRio):
        validate_rio(changed, msisdn)


@PROPERTIES
@given(prefixes, msisdns, st.integers(0, 10))
def test_swapping_two_different_neighbours_of_a_valid_rio_breaks_it(
    prefix: str, msisdn: str, position: int
) -> None:
    rio = _valid_rio(prefix, msisdn)
    left, right = rio[position], rio[position + 1]
    if left == right:
        return
    swapped = rio[:position] + right + left + rio[position + 2 :]
    assert not is_valid_rio(swapped, msisdn)


@PROPERTIES
@given(prefixes, msisdns, st.integers(1, 9), st.sampled_from(_DIGITS))
def test_a_valid_rio_is_refused_for_a_number_one_digit_away(
    prefix: str, msisdn: str, position: int, digit: str
) -> None:
    rio = _valid_rio(prefix, msisdn)
    if msisdn[position] == digit:
        digit = str((int(digit) + 1) % 10)
    other = msisdn[:position] + digit + msisdn[position + 1 :]
    assert not is_valid_rio(rio, other)


@HOSTILE
@given(hostile_text, st.one_of(msisdns, hostile_text, unicode_msisdns))
def test_any_text_is_refused_with_invalid_rio_and_never_crashes(
    rio: str, msisdn: str
) -> None:
    try:
        validate_rio(rio, msisdn)
    except InvalidRio as error:
        assert error.reason in ("msisdn", "length", "characters", "type", "key")
        assert not is_valid_rio(rio, msisdn)
    else:
        assert is_valid_rio(rio, msisdn)
        assert compact_rio(rio)[PREFIX_LENGTH:] == rio_key(
            compact_rio(rio)[:PREFIX_LENGTH], msisdn
        )


@HOSTILE
@given(st.one_of(hostile_text, prefixes), st.one_of(msisdns, unicode_msisdns))
def test_a_key_is_computed_or_refused_with_invalid_rio_for_any_text(
    prefix: str, msisdn: str
) -> None:
    try:
        key = rio_key(prefix, msisdn)
    except InvalidRio as error:
        assert error.reason in ("msisdn", "characters")
    else:
        assert len(key) == 3 and set(key) <= set(ALPHABET)


@HOSTILE
@given(hostile_text)
def test_compacting_is_idempotent(text: str) -> None:
    once = compact_rio(text)
    assert compact_rio(once) == once
