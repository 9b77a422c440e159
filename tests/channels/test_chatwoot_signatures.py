"""Who may call the Chatwoot webhook: the URL's secret, and a signature if present."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from bot.channels.signatures import CHATWOOT_TOLERANCE, chatwoot_request_valid

SECRET = "s3cr3t-of-the-url"
BODY = b'{"event": "message_created", "id": 118}'
NOW = 1_796_630_400


def signed(body: bytes = BODY, timestamp: int = NOW, secret: str = SECRET) -> str:
    """X-Chatwoot-Signature as Chatwoot computes it: HMAC of "<ts>.<body>"."""
    message = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def test_the_url_secret_alone_is_enough_for_unsigned_calls():
    assert chatwoot_request_valid(SECRET, SECRET, BODY)


@pytest.mark.parametrize("given", [None, "", "wrong", SECRET + "x", SECRET[:-1]])
def test_a_missing_or_wrong_url_secret_is_refused(given):
    assert not chatwoot_request_valid(SECRET, given, BODY)
    # A valid signature does not replace the URL's secret.
    assert not chatwoot_request_valid(SECRET, given, BODY, signed(), str(NOW), NOW)


def test_no_configured_secret_refuses_everything():
    assert not chatwoot_request_valid("", "", BODY)


def test_a_valid_signature_is_accepted():
    assert chatwoot_request_valid(SECRET, SECRET, BODY, signed(), str(NOW), NOW)
    upper = "sha256=" + signed().removeprefix("sha256=").upper()
    assert chatwoot_request_valid(SECRET, SECRET, BODY, upper, str(NOW), NOW)


@pytest.mark.parametrize(
    ("signature", "timestamp"),
    [
        (signed(body=BODY + b" "), str(NOW)),  # another body
        (signed(secret="other"), str(NOW)),  # another secret
        (signed(timestamp=NOW - 1), str(NOW)),  # another timestamp
        (signed().removeprefix("sha256="), str(NOW)),  # no scheme
        ("", str(NOW)),
        (signed(), None),  # signed, but no timestamp
        (signed(), "yesterday"),
    ],
)
def test_a_present_but_wrong_signature_is_refused(signature, timestamp):
    assert not chatwoot_request_valid(SECRET, SECRET, BODY, signature, timestamp, NOW)


def test_an_old_signed_call_is_refused():
    old = NOW - CHATWOOT_TOLERANCE - 1
    assert not chatwoot_request_valid(
        SECRET, SECRET, BODY, signed(timestamp=old), str(old), NOW
    )
    recent = NOW - CHATWOOT_TOLERANCE
    assert chatwoot_request_valid(
        SECRET, SECRET, BODY, signed(timestamp=recent), str(recent), NOW
    )
