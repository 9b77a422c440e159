"""Log lines: JSON or text, never personal data in clear (bot/logs.py)."""

from __future__ import annotations

import json
import logging
import sys

import pytest

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
