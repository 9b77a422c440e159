"""Logs of every process: one JSON object per line (LOG_FORMAT=json) or plain text,
never a phone number, e-mail address, RIO, one-time code or any other number of six
digits or more in clear (order ids excepted).

The conversation a line belongs to comes from `bind_conversation` (the action
server binds each request's sender id) or from a `conversation_id` extra.
"""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import json
import logging
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

from bot.config import ConfigError
from bot.masking import mask_email
from bot.normalize import EMAIL_RE, ORDER_ID_RE, OTP_RE, PHONE_RE, RIO_RE

LOG_FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_conversation: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "conversation_id", default=None
)
# Twilio and WhatsApp addresses carry E.164 numbers ("whatsapp:+33612345678").
_E164_RE = re.compile(r"(?<![\w+])\+\d{8,15}(?!\d)")
# Numbers typed in one run that masking reads one per pass (see _mask_numbers).
_MAX_PASSES = 8
_DIGIT_RUN_RE = re.compile(r"\d(?:[\s.\-]?\d){5,}")
# Digits no pattern reads, e.g. numbers typed glued ("06123456780698765432"); not
# inside a word: half the web conversation ids ("web-" and 32 hex) hold six digits.
_LONG_DIGITS_RE = re.compile(r"\b\d{6,}\b")


def redact(text: str) -> str:
    """`text` with e-mails, RIOs, phone numbers, 6-digit codes and other numbers of
    six digits or more masked."""
    text = EMAIL_RE.sub(lambda match: mask_email(match.group(0)), text)
    text = RIO_RE.sub("[RIO]", text)
    # Order ids stay readable: the digits of "cmd 2026 004512" are no code.
    pieces: list[str] = []
    last = 0
    for order in ORDER_ID_RE.finditer(text):
        pieces += [_mask_numbers(text[last : order.start()]), order.group(0)]
        last = order.end()
    pieces.append(_mask_numbers(text[last:]))
    return "".join(pieces)


def _mask_numbers(text: str) -> str:
    """Phone numbers and codes masked, runs of them included.

    A number refuses a neighbour's digits ("06 12 34 56 78 90 12" is no number),
    so in "06 12 34 56 78 06 12 34 56 78" one pass masks only the last one; once
    it is masked, the one before stands alone. Hence passes until nothing
    changes. A run longer than any customer types would cost a pass per
    number: past the limit, every run of six digits or more goes, whatever it is.
    Six digits or more in a row that are none of these go too, unless in a word.
    """
    for _ in range(_MAX_PASSES):
        masked = PHONE_RE.sub(lambda match: _mask_number(match.group(0)), text)
        masked = _E164_RE.sub(lambda match: _mask_number(match.group(0)), masked)
        masked = OTP_RE.sub("[code]", masked)
        if masked == text:
            return _LONG_DIGITS_RE.sub("[numéros]", masked)
        text = masked
    return _DIGIT_RUN_RE.sub("[numéros]", text)


def conversation_label(conversation_id: str | None) -> str | None:
    """The id to log: as is, or a keyed hash when it holds personal data (an SMS
    or WhatsApp conversation's id is the customer's number)."""
    if not conversation_id or redact(conversation_id) == conversation_id:
        return conversation_id
    digest = hmac.new(_log_key(), conversation_id.encode(), hashlib.sha256)
    return "anon-" + digest.hexdigest()[:16]


def _log_key() -> bytes:
    from bot.config import get_settings  # late: settings read the environment

    return get_settings().server_secret()


def _mask_number(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    return f"[tel …{digits[-2:]}]"


@contextmanager
def bind_conversation(conversation_id: str | None) -> Iterator[None]:
    """Tag the log lines written inside the block with `conversation_id`."""
    token = _conversation.set(conversation_id)
    try:
        yield
    finally:
        _conversation.reset(token)


def set_conversation(conversation_id: str | None) -> None:
    """Tag the log lines of the current task (a request) with `conversation_id`."""
    _conversation.set(conversation_id)


class RedactingFormatter(logging.Formatter):
    """Plain text, personal data masked."""

    def __init__(self, fmt: str = TEXT_FORMAT, **kwargs: object) -> None:
        super().__init__(fmt, **kwargs)  # type: ignore[arg-type]

    def format(self, record: logging.LogRecord) -> str:
        """The usual line, then masked (exceptions and their values included)."""
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line, personal data masked."""

    def __init__(self, service: str = "", **_: object) -> None:
        super().__init__()
        self.service = service or os.environ.get("LOG_SERVICE", "")

    def format(self, record: logging.LogRecord) -> str:
        """time, level, service, logger, conversation_id, message, exception."""
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "conversation_id": conversation_label(
                getattr(record, "conversation_id", None) or _conversation.get()
            ),
            "message": redact(record.getMessage()),
        }
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def log_format(environ: dict[str, str] | None = None) -> str:
    """LOG_FORMAT, checked: `text` (default) or `json`."""
    env = os.environ if environ is None else environ
    chosen = (env.get("LOG_FORMAT") or "text").strip().lower()
    if chosen not in LOG_FORMATS:
        raise ConfigError(f"LOG_FORMAT must be text or json, not {chosen!r}")
    return chosen


def formatter_for(
    service: str, environ: dict[str, str] | None = None
) -> logging.Formatter:
    """The formatter LOG_FORMAT asks for."""
    if log_format(environ) == "json":
        return JsonFormatter(service)
    return RedactingFormatter()


def configure(service: str, level: int = logging.INFO) -> None:
    """Send the process's logs to stderr in LOG_FORMAT, masked."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter_for(service))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    # Python warnings (Rasa raises some with the customer's text) go through the
    # same masking handler instead of straight to stderr.
    logging.captureWarnings(True)


class EnvFormatter(logging.Formatter):
    """For logging configuration files (Rasa's --logging-config-file): the
    formatter LOG_FORMAT asks for, decided when the file is loaded."""

    def __init__(self, service: str = "rasa", **_: object) -> None:
        super().__init__()
        self._chosen = formatter_for(service)

    def format(self, record: logging.LogRecord) -> str:
        """Delegate to the chosen formatter."""
        return self._chosen.format(record)
