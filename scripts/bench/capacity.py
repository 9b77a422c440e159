"""The capacity ramp: customers without pauses, 1, 2, 4, 8... until p95 passes a limit.

Pure logic: which step comes next, and which step gives the capacity (the messages
per second sustained at the last step whose p95 stayed under the limit).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class StepResult:
    """What one step of the ramp measured."""

    customers: int
    p50_ms: float | None
    p95_ms: float | None
    messages_per_second: float
    errors: int


def next_step(
    done: Sequence[StepResult], *, limit_ms: float, max_customers: int, factor: int = 2
) -> int | None:
    """The number of customers of the next step, or None when the ramp is over.

    Starts at 1 and multiplies by `factor`; stops once a step's p95 passed `limit_ms`
    (or had no answer at all), or when the next step would exceed `max_customers`.
    """
    if factor < 2:
        raise ValueError("the ramp needs a factor of at least 2")
    if not done:
        return 1
    last = done[-1]
    if last.p95_ms is None or last.p95_ms > limit_ms:
        return None
    following = last.customers * factor
    return following if following <= max_customers else None


def capacity(done: Sequence[StepResult], *, limit_ms: float) -> StepResult | None:
    """The last step under `limit_ms` before the first one above it (None if none)."""
    best = None
    for step in done:
        if step.p95_ms is None or step.p95_ms > limit_ms:
            break
        best = step
    return best


def saturated(done: Sequence[StepResult], *, limit_ms: float) -> bool:
    """Tell whether the ramp reached a step whose p95 passed the limit."""
    return any(s.p95_ms is None or s.p95_ms > limit_ms for s in done)
