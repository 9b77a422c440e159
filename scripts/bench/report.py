"""The bench's outputs: the text summary, the JSON file and the PNG chart."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from scripts.bench.stats import Sample


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def latency_rows(title: str, latency: dict[str, dict[str, Any]]) -> list[str]:
    """Lines "overall/custom/floor: n, p50, p95, p99" of one phase or step."""
    lines = [title]
    for group in ("overall", "custom", "floor"):
        s = latency[group]
        lines.append(
            f"  {group:8} n={s['count']:<5} p50 {_ms(s['p50_ms']):>5} ms  "
            f"p95 {_ms(s['p95_ms']):>5} ms  p99 {_ms(s['p99_ms']):>5} ms"
        )
    return lines


def cpu_row(cpu: dict[str, float | None]) -> str:
    """ "cores used: rasa 0.91, actions 0.30, ..., others 0.40" of one phase."""
    used = ", ".join(f"{k} {'-' if v is None else f'{v:.2f}'}" for k, v in cpu.items())
    return f"  cores used: {used}"


def text(result: dict[str, Any]) -> str:
    """The human summary printed at the end of a run."""
    load, cap, sms = result["load"], result["capacity"], result["sms"]
    out = [
        f"== bench {result['profile']} ({result['machine']['cpus']} CPUs, load average "
        f"before {result['machine']['loadavg_before']}, after "
        f"{result['machine']['loadavg_after']})",
        *latency_rows(
            f"load: {load['customers']} customers, pauses {load['pause_s'][0]:g}-"
            f"{load['pause_s'][1]:g} s, {load['duration_s']:g} s: "
            f"{load['conversations']} conversations ({load['completed']} complete), "
            f"{load['messages_per_second']:.1f} msgs/s",
            load["latency"],
        ),
        cpu_row(load["cpu_cores"]),
        "capacity (no pauses): customers  msgs/s   p50    p95   errors",
    ]
    for step in cap["steps"]:
        out.append(
            f"  {step['customers']:>22}  {step['messages_per_second']:6.1f}  "
            f"{_ms(step['latency']['overall']['p50_ms']):>5}  "
            f"{_ms(step['latency']['overall']['p95_ms']):>5}  {step['errors']:>6}"
        )
        out.append("  " + cpu_row(step["cpu_cores"]))
    if not cap["steps"]:
        out.append("  (capacity ramp skipped)")
    elif cap["capacity_msgs_per_s"] is None:
        out.append(f"  capacity: no step under p95 {cap['limit_ms']:g} ms")
    else:
        over = "" if cap["saturated"] else " (p95 never passed the limit: a floor)"
        out.append(
            f"  capacity: {cap['capacity_msgs_per_s']:.1f} msgs/s at "
            f"{cap['capacity_customers']} customers, "
            f"p95 <= {cap['limit_ms']:g} ms{over}"
        )
    out += latency_rows(
        "all measured messages (load + capacity)", result["latency_all"]
    )
    wait = sms["code_wait"]
    out.append(
        f"SMS: {sms['verified_changes']} verified changes; "
        f"codes {sms['codes_received']}/{sms['codes_expected']}, "
        f"confirmations {sms['confirmations_received']}/"
        f"{sms['confirmations_expected']}; lost {sms['lost']}, duplicated "
        f"{sms['duplicated']}, refused {sms['refused']}; code in hand after p50 "
        f"{_ms(wait['p50_ms'])} ms, p95 {_ms(wait['p95_ms'])} ms"
    )
    if result.get("actions"):
        out.append("server-side time per custom action (calls, mean ms, total s):")
        for name, spent in list(result["actions"].items())[:8]:
            out.append(
                f"  {name:32} {spent['calls']:>6} {spent['mean_ms']:>7.1f} "
                f"{spent['total_s']:>7.1f}"
            )
    errors = result["errors"]
    out.append(f"errors: {errors['count']}")
    out += [f"  {e['phase']}/{e['step']}: {e['error']}" for e in errors["examples"][:5]]
    out.append("peak memory (VmHWM):")
    for name, mem in result["memory"].items():
        out.append(f"  {name:12} {mem['peak_mib']} MiB (pid {mem['pid']})")
    verdict = result["verdict"]
    out.append(
        f"target: p95 <= {verdict['target_p95_ms']:g} ms at load, no error, no lost or "
        f"duplicated SMS: {'met' if verdict['met'] else 'NOT met'} "
        f"(p95 {_ms(verdict['load_p95_ms'])} ms)"
    )
    return "\n".join(out)


def write_json(result: dict[str, Any], path: Path) -> None:
    """Write the whole result as indented JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


def draw(result: dict[str, Any], load_samples: list[Sample], path: Path) -> None:
    """Latency distribution at load, and p50/p95 against customers (capacity)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    kinds = {"custom": "custom actions", "floor": "bare reply (floor)"}
    values = {
        k: [s.seconds * 1000 for s in load_samples if s.ok and s.kind == k]
        for k in kinds
    }
    everything = [v for vs in values.values() for v in vs]
    if everything:
        low, high = max(min(everything), 1.0), max(everything)
        bins = [low * (high / low) ** (i / 40) for i in range(41)] if high > low else 10
        for kind, label in kinds.items():
            if values[kind]:
                left.hist(values[kind], bins=bins, alpha=0.6, label=label)
        left.set_xscale("log")
        for group, style in (("p50_ms", ":"), ("p95_ms", "--")):
            mark = result["load"]["latency"]["overall"][group]
            if mark is not None:
                left.axvline(
                    mark,
                    color="black",
                    linestyle=style,
                    label=f"overall {group[:3]} {mark:.0f} ms",
                )
    load = result["load"]
    left.set_title(f"Latency per message, {load['customers']} customers with pauses")
    left.set_xlabel("ms (log scale)")
    left.set_ylabel("messages")
    if everything:
        left.legend(fontsize=8)

    steps = result["capacity"]["steps"]
    if steps:
        _draw_capacity(right, steps, result["capacity"]["limit_ms"])
    else:
        right.text(0.5, 0.5, "capacity ramp skipped", ha="center", va="center")
    fig.suptitle(f"bench {result['profile']}")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _draw_capacity(right: Any, steps: list[dict[str, Any]], limit_ms: float) -> None:
    xs = [s["customers"] for s in steps]
    for group, style in (("p50_ms", "o-"), ("p95_ms", "s-")):
        ys = [s["latency"]["overall"][group] for s in steps]
        right.plot(
            xs, [math.nan if y is None else y for y in ys], style, label=group[:3]
        )
    right.axhline(limit_ms, color="red", linestyle="--", label="limit")
    right.set_xscale("log", base=2)
    right.set_xticks(xs)
    right.set_xticklabels([str(x) for x in xs])
    right.set_xlabel("simultaneous customers without pauses")
    right.set_ylabel("ms")
    right.set_title("Latency against load (capacity ramp)")
    twin = right.twinx()
    twin.plot(xs, [s["messages_per_second"] for s in steps], "g^:", label="msgs/s")
    twin.set_ylabel("messages per second", color="green")
    lines, labels = right.get_legend_handles_labels()
    more, more_labels = twin.get_legend_handles_labels()
    right.legend(lines + more, labels + more_labels, fontsize=8, loc="upper left")
