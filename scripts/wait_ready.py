"""Wait until every URL answers 200, or fail as soon as a watched process exits."""

from __future__ import annotations

import argparse
import os
import sys
import time
import urllib.error
import urllib.request


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
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
    while waiting and time.monotonic() < deadline:
        if not all(_alive(pid) for pid in args.pids):
            return 1
        waiting = [url for url in waiting if not _up(url)]
        if waiting:
            time.sleep(1)
    return 0 if not waiting else 1


if __name__ == "__main__":
    sys.exit(main())
