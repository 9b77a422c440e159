"""Log lines: JSON or text, never personal data in clear (bot/logs.py)."""

from __future__ import annotations

import json
import logging
import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import ConfigError
from bot.logs import (
    JsonFormatter,
    RedactingFormatter,
    bind_conversation,
    conversation_label,
    log_format,
    redact,
)

CLEAR = {
    "phone": "06 12 34 56 78",
    "compact phone": "0612345678",
    "international phone": "+33 6 12 34 56 78",
    "whatsapp": "whatsapp:+33612345678",
    "email": "jean.dupont@example.fr",
    "rio": "02 P K7T 2QX TB6",
    "code": "482913",
}


@pytest.mark.parametrize("kind", sorted(CLEAR))
def test_personal_values_are_masked(kind):
    value = CLEAR[kind]
    masked = redact(f"le client a écrit « {value} » hier")
    assert value not in masked
    assert "le client a écrit" in masked


def test_masks_keep_what_helps_debugging():
    assert redact("06 12 34 56 78") == "[tel …78]"
    assert redact("jean.dupont@example.fr") == "j…@example.fr"
    assert redact("code 482913") == "code [code]"


def test_order_ids_dates_and_times_stay_readable():
    text = "commande CMD-2026-004512, le 12/12/2026 à 10:30, ticket 42"
    assert redact(text) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("06 12 34 56 78 06 12 34 56 78", "[tel …78] [tel …78]"),
        ("0612345678 0698765432", "[tel …78] [tel …32]"),
        ("06 12 34 56 78 / 06 98 76 54 32", "[tel …78] / [tel …32]"),
        ("06.12.34.56.78.06.98.76.54.32", "[tel …78].[tel …32]"),
        ("0612345678 0698765432 0711223344", "[tel …78] [tel …32] [tel …44]"),
        ("+33 6 12 34 56 78 0698765432", "[tel …78] [tel …32]"),
        # A number and a code typed together: neither stays in clear.
        ("0612345678 482913", "[tel …78] [code]"),
        ("482913 482914", "[code] [code]"),
    ],
)
def test_numbers_typed_in_one_run_are_each_masked(text, expected):
    assert redact(f"mes numéros {text} merci") == f"mes numéros {expected} merci"


@pytest.mark.parametrize(
    "text",
    [
        "la portabilité du 15/12/2026 à 14h30",
        "commande CMD-2026-004512 et cmd 2026 004513",
        "mon forfait à 19,99 € ou 1 234 567,89 €",
        # Twelve digits are no number (bot/normalize.py reads them so too).
        "06 12 34 56 78 90 12",
    ],
)
def test_runs_of_other_numbers_stay_readable(text):
    assert redact(text) == text


def test_an_order_id_next_to_numbers_stays_readable():
    text = "cmd 2026 004512 0612345678 0698765432"
    assert redact(text) == "cmd 2026 004512 [tel …78] [tel …32]"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("06123456780698765432", "[numéros]"),
        ("061234567806987654320711223344", "[numéros]"),
        ("06123456780698765432, 0612345678", "[numéros], [tel …78]"),
        ("cmd 2026 004512 06123456780698765432", "cmd 2026 004512 [numéros]"),
        ("CMD-2026-004512 et 1234567", "CMD-2026-004512 et [numéros]"),
    ],
)
def test_numbers_typed_glued_are_masked(text, expected):
    assert redact(f"mes numéros {text} merci") == f"mes numéros {expected} merci"


@settings(derandomize=True, max_examples=100, deadline=None, database=None)
@given(st.text("0123456789", min_size=6, max_size=40))
def test_no_six_digits_in_a_row_stay_in_clear(digits):
    assert re.search(r"\d{6}", redact(f"client {digits}.")) is None


def test_digits_inside_an_identifier_stay_readable():
    # Half the web conversation ids would go anonymous in the JSON logs otherwise.
    text = "conversation web-3f2a1234567bcd0e9f"
    assert redact(text) == text
    assert conversation_label("web-3f2a1234567bcd0e9f") == "web-3f2a1234567bcd0e9f"


_MOBILE = st.builds(
    lambda second, rest: "0" + second + rest,
    st.sampled_from("67"),
    st.text("0123456789", min_size=8, max_size=8),
)


def _typed(number: str, style: str) -> str:
    """A number as customers type it: compact, in pairs, or international."""
    if style == "compact":
        return number
    if style == "+33":
        return (
            "+33 "
            + number[1]
            + " "
            + " ".join(number[i : i + 2] for i in range(2, 10, 2))
        )
    return style.join(number[i : i + 2] for i in range(0, 10, 2))


@settings(derandomize=True, max_examples=150, deadline=None, database=None)
@given(
    st.lists(
        st.tuples(_MOBILE, st.sampled_from(["compact", " ", ".", "-", "+33"])),
        min_size=2,
        max_size=4,
    ),
    st.sampled_from([" ", "  ", " / ", ", ", "\n", " - ", "-", "."]),
)
def test_any_run_of_typed_numbers_is_masked_number_by_number(numbers, joiner):
    text = joiner.join(_typed(number, style) for number, style in numbers)
    masked = redact(text)
    assert masked.count("[tel …") == len(numbers), (text, masked)
    assert re.search(r"\d(?:[\s.\-]?\d){5}", masked) is None, (text, masked)


def test_a_run_longer_than_any_message_loses_all_its_digits_quickly():
    run = " ".join(f"06{n:08d}" for n in range(2000))
    masked = redact(f"le 15/12/2026 : {run}")
    assert masked.startswith("le 15/12/2026 : ")
    assert re.search(r"\d{6}", masked) is None
    assert "[numéros]" in masked


def _record(message: str, *args: object, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord(
        "bot.test", logging.INFO, __file__, 1, message, args, None
    )
    record.__dict__.update(extra)
    return record


def test_json_lines_carry_the_bound_conversation(monkeypatch):
    monkeypatch.setenv("BOT_SECRET_KEY", "test-key")
    with bind_conversation("web-4f2a"):
        line = JsonFormatter("actions").format(_record("code sent to %s", "0612345678"))
    entry = json.loads(line)
    assert entry["service"] == "actions"
    assert entry["conversation_id"] == "web-4f2a"
    assert entry["message"] == "code sent to [tel …78]"
    assert entry["level"] == "INFO"


def test_a_conversation_named_by_a_phone_number_is_pseudonymised(monkeypatch):
    from bot.config import get_settings

    monkeypatch.setenv("BOT_SECRET_KEY", "test-key")
    get_settings.cache_clear()
    label = conversation_label("whatsapp:+33612345678")
    assert label.startswith("anon-") and "612345678" not in label
    assert conversation_label("whatsapp:+33612345678") == label  # stable
    assert conversation_label("whatsapp:+33698765432") != label
    get_settings.cache_clear()


def test_exceptions_are_masked_too():
    try:
        raise ValueError("bad line 0612345678")
    except ValueError:
        record = _record("failed")
        record.exc_info = sys.exc_info()
    text = RedactingFormatter().format(record)
    json_line = json.loads(JsonFormatter("x").format(record))
    assert "0612345678" not in text and "[tel …78]" in text
    assert "0612345678" not in json_line["exception"]


@pytest.mark.parametrize("value, expected", [("", "text"), ("JSON", "json")])
def test_log_format_values(value, expected):
    assert log_format({"LOG_FORMAT": value}) == expected


def test_an_unknown_log_format_is_refused():
    with pytest.raises(ConfigError, match="LOG_FORMAT"):
        log_format({"LOG_FORMAT": "xml"})


def test_python_warnings_are_logged_masked(capsys, monkeypatch):
    import warnings

    from bot.logs import configure

    monkeypatch.setenv("LOG_FORMAT", "json")
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    # Another test's configure() may have left logging's capture half on (pytest
    # restores warnings.showwarning after each test): start from off.
    logging.captureWarnings(False)
    try:
        configure("rasa")
        payload = '/thank{"phone": "0612345678"}'
        # What warnings.warn calls once its filters let a warning through (other
        # tests' filters may hold this one back).
        warnings.showwarning(
            UserWarning(f"Failed to parse {payload!r}"), UserWarning, "rasa.py", 1
        )
    finally:
        logging.captureWarnings(False)
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)
    written = capsys.readouterr().err
    assert "0612345678" not in written
    assert json.loads(written.splitlines()[-1])["logger"] == "py.warnings"
