"""Latency statistics: percentiles and per-group summaries (pure functions)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

KINDS = ("custom", "floor")  # a message that runs custom actions, or a bare reply


@dataclass(frozen=True)
class Sample:
    """One customer message: when it left, when the answer was read, what it was."""

    phase: str  # "load" or "capacity"
    step: int  # number of simultaneous customers
    kind: str  # one of KINDS
    label: str  # which turn of the conversation ("greet", "code", ...)
    started: float  # time.perf_counter()
    ended: float
    ok: bool

    @property
    def seconds(self) -> float:
        """The message's latency, in seconds."""
        return self.ended - self.started


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linear between closest ranks (numpy's default).

    NaN for no values.
    """
    if not 0 <= q <= 100:
        raise ValueError(f"a percentile is between 0 and 100, not {q}")
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarize(seconds: Sequence[float]) -> dict[str, Any]:
    """Count, p50/p95/p99, mean and max, in milliseconds (None when empty)."""
    if not seconds:
        return {
            "count": 0,
            "p50_ms": None,
            "p95_ms": None,
            "p99_ms": None,
            "mean_ms": None,
            "max_ms": None,
        }
    ms = [s * 1000 for s in seconds]
    return {
        "count": len(ms),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "mean_ms": round(sum(ms) / len(ms), 1),
        "max_ms": round(max(ms), 1),
    }


def by_kind(samples: Iterable[Sample]) -> dict[str, dict[str, Any]]:
    """Summaries of the answered messages: overall, custom actions, bare floor."""
    answered = [s for s in samples if s.ok]
    groups = {"overall": [s.seconds for s in answered]}
    for kind in KINDS:
        groups[kind] = [s.seconds for s in answered if s.kind == kind]
    return {name: summarize(values) for name, values in groups.items()}


def in_window(samples: Iterable[Sample], start: float, end: float) -> list[Sample]:
    """The samples answered within [start, end] (the steady part of a phase)."""
    return [s for s in samples if s.started >= start and s.ended <= end]


def throughput(samples: Sequence[Sample], seconds: float) -> float:
    """Answered messages per second over a window of `seconds`."""
    if seconds <= 0:
        return 0.0
    return sum(1 for s in samples if s.ok) / seconds
