"""The console SMS provider as the customer's phone: the one-time codes it printed.

Once an SMS is sent the outbox keeps it with its code masked, so tests that run the
outbox dispatcher read codes where the customer would: on the "handset", the
dispatcher's output (`SMS to <number>: <text>` lines of the console provider).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

CODE_RE = re.compile(r"\b\d{6}\b")


class Handset:
    """The SMS a console provider printed into `log`."""

    def __init__(self, log: Path) -> None:
        self.log = log

    def texts_to(self, msisdn: str) -> list[str]:
        """Every text printed for `msisdn`, oldest first."""
        prefix = f"SMS to {msisdn}: "
        if not self.log.exists():
            return []
        lines = self.log.read_text(errors="replace").splitlines()
        return [line[len(prefix) :] for line in lines if line.startswith(prefix)]

    def new_code(self, msisdn: str, seen: int, timeout: float = 20) -> str:
        """The code of the first text to `msisdn` after the `seen` first ones."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            texts = self.texts_to(msisdn)[seen:]
            for text in texts:
                found = CODE_RE.findall(text)
                if found:
                    return found[-1]
            time.sleep(0.1)
        raise AssertionError(f"no code reached {msisdn} within {timeout} s")
