"""Who may call our webhooks: Twilio, Telegram, Messenger and Chatwoot request checks.

Every check fails closed (a missing header or secret is a refusal) and compares
secrets in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Mapping, Sequence

from twilio.request_validator import RequestValidator

MESSENGER_PREFIX = "sha256="
CHATWOOT_PREFIX = "sha256="
# How old a signed Chatwoot call may be (its X-Chatwoot-Timestamp), in seconds.
CHATWOOT_TOLERANCE = 300
# What Telegram accepts as a webhook secret token (setWebhook's secret_token).
TELEGRAM_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")


class _FormFields(dict):
    """Form fields with every value of a name, as RequestValidator reads them."""

    def getlist(self, name: str) -> list[str]:
        """Return every value sent under `name`."""
        return list(self[name])


def same_secret(expected: str | None, given: str | None) -> bool:
    """Tell whether `given` equals the configured secret, in constant time."""
    if not expected or given is None:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def twilio_request_valid(
    auth_token: str,
    url: str,
    fields: Mapping[str, Sequence[str]],
    signature: str | None,
) -> bool:
    """Check X-Twilio-Signature for a form POST to the public `url` Twilio called."""
    if not auth_token or not signature:
        return False
    validator = RequestValidator(auth_token)
    return bool(validator.validate(url, _FormFields(fields), signature))


def telegram_secret_valid(secret_token: str, header: str | None) -> bool:
    """Check X-Telegram-Bot-Api-Secret-Token against the webhook's secret token."""
    return same_secret(secret_token, header)


def messenger_signature(app_secret: str, body: bytes) -> str:
    """Return the X-Hub-Signature-256 value Meta sends for `body`."""
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return MESSENGER_PREFIX + digest


def messenger_signature_valid(app_secret: str, body: bytes, header: str | None) -> bool:
    """Check X-Hub-Signature-256 (HMAC-SHA256 of the raw body with the app secret)."""
    if not app_secret or not header or not header.startswith(MESSENGER_PREFIX):
        return False
    return same_secret(messenger_signature(app_secret, body), header.lower())


def chatwoot_signature(secret: str, timestamp: str, body: bytes) -> str:
    """X-Chatwoot-Signature: HMAC-SHA256 of "<timestamp>.<raw body>" with the secret.

    As newer Chatwoot versions sign their webhooks (lib/webhooks/trigger.rb, with
    X-Chatwoot-Timestamp and X-Chatwoot-Delivery); released ones send no header.
    """
    message = timestamp.encode() + b"." + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return CHATWOOT_PREFIX + digest


def chatwoot_request_valid(
    secret: str,
    url_secret: str | None,
    body: bytes,
    signature: str | None = None,
    timestamp: str | None = None,
    now: float | None = None,
) -> bool:
    """Check the secret of the webhook URL, and the signature when there is one.

    A signature needs a timestamp within CHATWOOT_TOLERANCE seconds of `now`.
    """
    if not same_secret(secret, url_secret):
        return False
    if signature is None:
        return True
    if not timestamp or not timestamp.strip().isdigit():
        return False
    moment = time.time() if now is None else now
    if abs(moment - int(timestamp)) > CHATWOOT_TOLERANCE:
        return False
    expected = chatwoot_signature(secret, timestamp.strip(), body)
    return same_secret(expected, signature.strip().lower())
