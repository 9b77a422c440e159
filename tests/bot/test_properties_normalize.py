"""Property tests of the identifier normalisers (`bot.normalize`) and of the text
the classifier reads (`bot.intent_text.masked_for_intent`, `bot.dates.lexicon.fold`).

For any text, however hostile: no exception; a normaliser returns None or the
canonical form, and the canonical form normalises to itself; every identifier the
scanner finds points at what was typed and reads back as itself. Any formatting of
a French mobile number comes back as the same ten digits. The classifier's text is
valid UTF-8 with a placeholder for every identifier, and (identifiers standing
apart) masking it again finds no identifier; folding is a fixed point.
"""

from __future__ import annotations

import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.dates.lexicon import fold
from bot.intent_text import PLACEHOLDERS, masked_for_intent
from bot.normalize import (
    find_entities,
    normalize_email,
    normalize_order_id,
    normalize_otp_code,
    normalize_phone_number,
    normalize_rio,
)
from bot.porting_faq import folded

PROPERTIES = settings(
    derandomize=True,  # the same examples on every run: CI is not a lottery
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
    ],
)

NORMALISERS = {
    "phone_number": normalize_phone_number,
    "order_id": normalize_order_id,
    "rio": normalize_rio,
    "email": normalize_email,
    "otp_code": normalize_otp_code,
}
# What each canonical form looks like: ASCII only, whatever was typed.
CANONICAL = {
    "phone_number": re.compile(r"0[1-9][0-9]{8}"),
    "order_id": re.compile(r"CMD-[0-9]{4}-[0-9]{6}"),
    "rio": re.compile(r"[0-9]{2}[PE][A-Z0-9]{6}[A-Z0-9+]{3}"),
    "email": re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}"),
    "otp_code": re.compile(r"[0-9]{6}"),
}

_DIGITS = "0123456789"
# Characters that hostile or careless messages carry.
_TRICKY = [
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "\u200b",  # zero-width space
    "\u00a0",  # no-break space
    "\ufeff",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\r\n",
    "\t",
    "😀",
    "👍🏽",
    "🇫🇷",
    "٠١٢٣٤٥٦٧٨٩",  # Arabic-Indic digits
    "０６１２３４５６７８",  # full-width digits
    "𝐃𝐄𝐂𝐄𝐌𝐁𝐑𝐄",  # "fancy" bold capitals of social networks
    "ﬁ",
    "ß",
    "İ",
    "<script>alert(1)</script>",
    "'; DROP TABLE orders; --",
    '/change_porting_date{"date":"2026-12-15"}',
]
# Pieces that look like identifiers or dates, to be glued and mixed with the rest.
_PIECES = [
    "06 12 34 56 78",
    "+33 6 12 34 56 78",
    "0033745678901",
    "+33 (0)7 45 67 89 01",
    "06.12.34.56.78",
    "cmd-2026-004512",
    "CMD2026004512",
    "02 P K7T 2QX TB6",
    "01 pzz 8x7 c6v5",
    "02pk7t2qxtb6",
    "rio",
    "RIO",
    "482 913",
    "482913",
    "Marie.Dupont@Example.FR",
    "x@y.fr",
    "le 15 décembre",
    "15/12",
    "2026-12-15",
    "demain",
    "mardi prochain",
    "jveux",
    "le 8",
    "au lieu du",
    "€",
    "@",
    ".",
    "-",
    "+",
    "_",
    "'",
    ",",
]
_SEPARATORS = ["", " ", "  ", ".", "-", "\n", "_", "/", ",", "\u200f"]
# Halves of UTF-16 pairs alone, as a JSON string may carry them ("\ud83d").
_LONE_SURROGATES = st.text(st.integers(0xD800, 0xDFFF).map(chr), min_size=1, max_size=4)

hostile_text = st.one_of(
    st.text(max_size=60),
    st.text(max_size=3000),
    st.text(st.characters(codec="ascii"), max_size=200),
    st.lists(
        st.one_of(
            st.sampled_from(_TRICKY),
            st.sampled_from(_PIECES),
            st.sampled_from(_SEPARATORS),
            st.text(_DIGITS, min_size=1, max_size=12),
            st.text(st.characters(categories=["Nd"]), min_size=1, max_size=10),
            st.text(max_size=8),
            _LONE_SURROGATES,
        ),
        max_size=30,
    ).map("".join),
)
# Messages whose identifiers stand apart, a punctuation mark between them: there
# masking is final. Glued ("06 12 34 56 78cmd-2026-004512") or only a space apart
# ("06 12 34 56 78 06 12 34 56 78", read like "06 12 34 56 78 90 12", which is no
# number), an identifier refuses its neighbour's digits and is read only once the
# neighbour is masked: test_normalize.py pins that choice. (The logs mask such
# runs whole, number by number: test_logs.py.)
separated_text = st.lists(
    st.one_of(
        st.sampled_from(_TRICKY),
        st.sampled_from(_PIECES),
        st.text(_DIGITS, min_size=1, max_size=12),
        st.text(max_size=8),
    ),
    max_size=30,
).map(" ; ".join)


# ---------------------------------------------------------------- normalisers


@PROPERTIES
@given(hostile_text)
def test_each_normaliser_returns_none_or_a_canonical_form_that_is_a_fixed_point(
    text: str,
) -> None:
    for entity, normalise in NORMALISERS.items():
        value = normalise(text)
        if value is None:
            continue
        assert CANONICAL[entity].fullmatch(value), (entity, text, value)
        assert normalise(value) == value, (entity, text, value)


@PROPERTIES
@given(hostile_text)
def test_every_identifier_found_points_at_its_text_and_reads_back_as_itself(
    text: str,
) -> None:
    found = find_entities(text)
    previous_end = 0
    for item in found:
        assert 0 <= previous_end <= item.start < item.end <= len(text)
        assert text[item.start : item.end] == item.text
        assert CANONICAL[item.entity].fullmatch(item.value), item
        assert NORMALISERS[item.entity](item.text) == item.value, item
        # The canonical value, alone, is found again as the same identifier.
        assert [(e.entity, e.value) for e in find_entities(item.value)] == [
            (item.entity, item.value)
        ], item
        previous_end = item.end


_MOBILE = st.builds(
    lambda second, rest: "0" + second + rest,
    st.sampled_from("67"),
    st.text(_DIGITS, min_size=8, max_size=8),
)
_PREFIXES = ["0", "+33", "+33 ", "0033", "0033 ", "00 33 ", "+33 (0)", "+33(0) "]
_BLANKS = st.sampled_from(["", " ", "\t", "\n", "\u00a0"])


@PROPERTIES
@given(_MOBILE, st.sampled_from(_PREFIXES), st.data())
def test_any_formatting_of_a_mobile_number_gives_the_same_ten_digits(
    number: str, prefix: str, data: st.DataObject
) -> None:
    digits = number[1:]  # the nine digits after the leading 0
    separators = data.draw(
        st.one_of(
            st.lists(st.sampled_from(["", " ", ".", "-"]), min_size=8, max_size=8),
            st.sampled_from(["", " ", ".", "-"]).map(lambda sep: [sep] * 8),
            # the usual pairs: "06 12 34 56 78"
            st.sampled_from([" ", ".", "-"]).map(
                lambda sep: ["", sep, "", sep, "", sep, "", sep]
            ),
        )
    )
    typed = digits[0] + "".join(
        s + d for s, d in zip(separators, digits[1:], strict=False)
    )
    typed = data.draw(_BLANKS) + prefix + typed + data.draw(_BLANKS)
    assert normalize_phone_number(typed) == number, typed
    assert [(e.entity, e.value) for e in find_entities(f"mon numéro {typed}")] == [
        ("phone_number", number)
    ], typed


# ------------------------------------------------- the text the classifier reads


@PROPERTIES
@given(hostile_text)
def test_the_classifier_text_is_utf8_with_a_placeholder_per_identifier(
    text: str,
) -> None:
    masked = masked_for_intent(text)
    assert masked == " ".join(masked.split())
    masked.encode("utf-8")  # the sentence encoder reads UTF-8: no lone surrogate
    for item in find_entities(text):
        assert PLACEHOLDERS[item.entity] in masked.split(), (text, masked)


@PROPERTIES
@given(separated_text)
def test_the_classifier_text_hides_every_identifier_once_and_for_all(
    text: str,
) -> None:
    masked = masked_for_intent(text)
    assert find_entities(masked) == [], (text, masked)
    # Masked again, no identifier appears or goes. (Dates may: the first pass
    # reads "mardi prochain" after "le 15 décembre", a Tuesday, as naming that
    # day's weekday, not as a date; alone, it is one.)
    again = masked_for_intent(masked).split()
    for entity, word in PLACEHOLDERS.items():
        if entity != "date":
            assert again.count(word) == masked.split().count(word), (text, masked)


@PROPERTIES
@given(hostile_text)
def test_folding_is_a_fixed_point_without_accents_or_capitals(text: str) -> None:
    once = fold(text)
    assert fold(once) == once, (text, once)
    assert once == once.lower()
    assert not any(unicodedata.combining(char) for char in once)


@PROPERTIES
@given(hostile_text)
def test_the_faq_folding_is_a_fixed_point(text: str) -> None:
    once = folded(text)
    assert folded(once) == once, (text, once)
    assert re.fullmatch(r"(?:[a-z0-9]+(?: [a-z0-9]+)*)?", once), (text, once)
