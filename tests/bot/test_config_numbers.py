"""`positive_number`: the one reading of a positive number from the environment,
shared by the settings and the action-call timeout (bot/service_notice.py)."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, positive_number


def test_a_blank_or_missing_value_gives_the_default():
    assert positive_number({}, "X", 7.0) == 7.0
    assert positive_number({"X": "  "}, "X", 7.0) == 7.0
    assert positive_number({"X": " 0.5 "}, "X", 7.0) == 0.5


@pytest.mark.parametrize("raw", ["soon", "0", "-1", "nan", "inf", "-inf", "1e999"])
def test_the_settings_refuse_anything_but_a_positive_number(raw):
    with pytest.raises(ConfigError, match=f"X must be a positive number, not '{raw}'"):
        positive_number({"X": raw}, "X", 7.0)


def test_each_caller_may_word_its_two_refusals():
    words = {"must_be": "a number of seconds", "must_be_positive": "positive"}
    with pytest.raises(ConfigError, match="X must be a number of seconds, not 'soon'"):
        positive_number({"X": "soon"}, "X", 7.0, **words)
    for raw in ("0", "-1", "nan"):
        with pytest.raises(ConfigError, match=f"X must be positive, not '{raw}'"):
            positive_number({"X": raw}, "X", 7.0, **words)
    # An infinite number of seconds is no number of seconds.
    for raw in ("inf", "1e999"):
        with pytest.raises(
            ConfigError, match=f"X must be a number of seconds, not '{raw}'"
        ):
            positive_number({"X": raw}, "X", 7.0, **words)
