"""The figures of one fuzz run, and its failures."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

from scripts.fuzz.messages import TOO_LONG

POLITE_TOO_LONG = "trop long"
# Figures keep the first few failures verbatim; the counts cover them all.
KEEP_FAILURES = 20


@dataclass
class FuzzReport:
    """The figures of one fuzz run; `failures` lists what went wrong."""

    sent: int = 0
    conversations: int = 0
    elapsed: float = 0.0
    kinds: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    server_errors: int = 0
    unanswered: int = 0
    long_messages: int = 0
    long_answered_politely: int = 0
    long_other_answers: Counter = field(default_factory=Counter)
    trackers_checked: int = 0
    trackers_loaded: int = 0
    status_ok: bool = False
    greeting_ok: bool = False
    latencies: list[float] = field(default_factory=list, repr=False)
    kind_seconds: Counter = field(default_factory=Counter)
    slowest: tuple[float, str] = (0.0, "")
    failure_count: int = 0
    failures: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def ok(self) -> bool:
        """Whether nothing failed."""
        return self.failure_count == 0

    @property
    def rate(self) -> float:
        """Messages per second while sending."""
        return self.sent / self.elapsed if self.elapsed else 0.0

    def fail(self, what: str) -> None:
        """Count a failure, and keep its description if it is among the first."""
        with self._lock:
            self.failure_count += 1
            if len(self.failures) < KEEP_FAILURES:
                self.failures.append(what)

    def lines(self) -> list[str]:
        """The figures, as printed."""
        statuses = ", ".join(
            f"{status or 'none'}: {count}"
            for status, count in sorted(self.statuses.items())
        )
        kinds = ", ".join(
            f"{kind} {count}" for kind, count in sorted(self.kinds.items())
        )
        lines = [
            f"messages sent:        {self.sent} to {self.conversations} conversations "
            f"in {self.elapsed:.1f} s ({self.rate:.1f} msg/s)",
            f"by kind:              {kinds}",
            f"answer time:          {self._latency()}",
            f"HTTP statuses:        {statuses}",
            f"5xx:                  {self.server_errors}",
            f"unanswered:           {self.unanswered}",
            f"over {TOO_LONG} chars:      {self.long_messages}, answered "
            f"'{POLITE_TOO_LONG}': {self.long_answered_politely}",
            *(
                f"  other answer ({count}): {answer!r}"
                for answer, count in self.long_other_answers.most_common(3)
            ),
            f"trackers checked:     {self.trackers_checked}, loaded: "
            f"{self.trackers_loaded}",
            f"/status after:        {'200' if self.status_ok else 'FAILED'}",
            f"'bonjour' after:      {'answered' if self.greeting_ok else 'FAILED'}",
            f"failures:             {self.failure_count}",
        ]
        lines += [f"  - {failure}" for failure in self.failures]
        return lines

    def _latency(self) -> str:
        if not self.latencies:
            return "-"
        ordered = sorted(self.latencies)
        p50 = ordered[len(ordered) // 2]
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        seconds, what = self.slowest
        means = sorted(
            (
                (total / self.kinds[kind], kind)
                for kind, total in self.kind_seconds.items()
            ),
            reverse=True,
        )
        slowest_kinds = ", ".join(f"{kind} {mean:.1f} s" for mean, kind in means[:3])
        return (
            f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {seconds * 1000:.0f} ms ({what}); slowest kinds on average: "
            f"{slowest_kinds}"
        )


def short(text: str, limit: int = 60) -> str:
    shown = text if len(text) <= limit else f"{text[:limit]}… ({len(text)} chars)"
    return ascii(shown)
