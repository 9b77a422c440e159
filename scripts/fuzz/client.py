"""One HTTP request to the server, whatever happens: a status (0 when none came
back) and the decoded body."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.handoff.gateway import api_token


@dataclass
class Answer:
    """What one request got: an HTTP status (0 when none came back) and a body."""

    status: int
    body: Any = None
    error: str = ""


def request(
    url: str,
    *,
    payload: Any = None,
    headers: dict[str, str] | None = None,
    timeout: float = 300,
    ensure_ascii: bool = True,
) -> Answer:
    data = None
    all_headers = dict(headers or {})
    if payload is not None:
        # Lone surrogates only travel as JSON escapes (ensure_ascii).
        text = json.dumps(payload, ensure_ascii=ensure_ascii)
        data = text.encode("utf-8", errors="surrogatepass")
        all_headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=all_headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read()[:500].decode(errors="replace"))
    except (OSError, ValueError) as error:  # refused, reset, timed out
        return Answer(0, error=f"{type(error).__name__}: {error}")
    try:
        return Answer(status, json.loads(raw.decode()))
    except ValueError:
        return Answer(status, raw[:500].decode(errors="replace"), "not JSON")


def jwt_headers(secret: str) -> Callable[[], dict[str, str]]:
    """Headers for Rasa's HTTP API started with --jwt-secret `secret`."""
    return lambda: {"Authorization": f"Bearer {api_token(secret)}"}
