"""Wait until every URL answers 200, or fail as soon as a watched process exits.

With RASA_JWT_SECRET in the environment, the requests carry an administrator's JWT:
Rasa's /status is part of its protected HTTP API.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def _headers() -> dict[str, str]:
    secret = os.environ.get("RASA_JWT_SECRET")
    if not secret:
        return {}
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bot.handoff.gateway import api_token

    return {"Authorization": f"Bearer {api_token(secret)}"}


def _up(url: str, headers: dict[str, str]) -> bool:
    try:
        request = urllib.request.Request(url, headers=headers)
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def main() -> int:
    """Poll the URLs; exit 0 when all are up, 1 on time-out or a dead process."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--pids", nargs="*", type=int, default=[])
    parser.add_argument("--timeout", type=float, default=180)
    args = parser.parse_args()
    deadline = time.monotonic() + args.timeout
    waiting = list(args.urls)
    headers = _headers()
    while waiting and time.monotonic() < deadline:
        if not all(_alive(pid) for pid in args.pids):
            return 1
        waiting = [url for url in waiting if not _up(url, headers)]
        if waiting:
            time.sleep(1)
    return 0 if not waiting else 1


if __name__ == "__main__":
    sys.exit(main())
