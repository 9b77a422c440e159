"""POST JSON to a provider's API, with errors that never quote the URL or a token."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests

from bot.messaging.senders import DEFAULT_TIMEOUT, SendError, is_retryable_status


def post_json(
    session: requests.Session,
    url: str,
    payload: Mapping[str, Any],
    *,
    provider: str,
    timeout: float = DEFAULT_TIMEOUT,
) -> dict[str, Any]:
    """POST `payload` and return the JSON answer; raise SendError on any failure.

    The messages name the provider, the status and its explanation, never the URL
    (Telegram's holds the bot token).
    """
    try:
        response = session.post(
            url, json=dict(payload), timeout=timeout, allow_redirects=False
        )
    except requests.RequestException as exc:
        raise SendError(
            f"could not reach {provider}: {type(exc).__name__}",
            retryable=not isinstance(exc, requests.exceptions.InvalidURL),
        ) from None
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    if not isinstance(answer, dict):
        answer = {}
    if not 200 <= response.status_code < 300:
        explanation = answer.get("description") or answer.get("error") or ""
        raise SendError(
            f"{provider} answered HTTP {response.status_code}: {explanation}"[:300],
            retryable=is_retryable_status(response.status_code),
        )
    return answer
