"""Server-side time per custom action, read from the action servers' Prometheus
histograms (`assistant_action_seconds`) before and after the measured phases."""

from __future__ import annotations

import asyncio
import sys

import aiohttp


def action_seconds(metrics_text: str) -> dict[str, tuple[float, float]]:
    """(count, seconds) per action from the action server's Prometheus text."""
    found: dict[str, list[float]] = {}
    for line in metrics_text.splitlines():
        for suffix, slot in (("_count{", 0), ("_sum{", 1)):
            prefix = f"assistant_action_seconds{suffix}"
            if line.startswith(prefix) and 'action="' in line:
                action = line.split('action="', 1)[1].split('"', 1)[0]
                found.setdefault(action, [0.0, 0.0])[slot] = float(
                    line.rsplit(" ", 1)[1]
                )
    return {action: (values[0], values[1]) for action, values in found.items()}


async def read_action_metrics(
    http: aiohttp.ClientSession, urls: list[str]
) -> dict[str, tuple[float, float]]:
    """(calls, seconds) per action, summed over the action servers' /metrics."""
    total: dict[str, tuple[float, float]] = {}
    for url in urls:
        try:
            async with http.get(url, timeout=aiohttp.ClientTimeout(10)) as reply:
                text = await reply.text()
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            print(f"warning: {url}: {exc}", file=sys.stderr)
            continue
        for action, (calls, seconds) in action_seconds(text).items():
            was_calls, was_seconds = total.get(action, (0.0, 0.0))
            total[action] = (was_calls + calls, was_seconds + seconds)
    return total


def action_time_spent(
    before: dict[str, tuple[float, float]], after: dict[str, tuple[float, float]]
) -> dict[str, dict[str, float]]:
    """Calls and mean server-side milliseconds per action between two readings."""
    spent = {}
    for action, (count, seconds) in after.items():
        was_count, was_seconds = before.get(action, (0.0, 0.0))
        calls = count - was_count
        if calls > 0:
            spent[action] = {
                "calls": int(calls),
                "mean_ms": round((seconds - was_seconds) / calls * 1000, 1),
                "total_s": round(seconds - was_seconds, 2),
            }
    return dict(sorted(spent.items(), key=lambda item: -item[1]["total_s"]))
