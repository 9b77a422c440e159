"""One bench run against a ready stack: the warm-up, load (1) with pauses, the
capacity ramp without, and what each window measured."""

from __future__ import annotations

import argparse
import asyncio
import random
import secrets
import time
from collections import Counter
from typing import Any

import aiohttp

from scripts.bench import capacity
from scripts.bench.action_metrics import action_time_spent, read_action_metrics
from scripts.bench.customer import Customer, LinePool, Recorder
from scripts.bench.sink import SmsSink
from scripts.bench.sms_accounting import sms_accounting
from scripts.bench.stack import CpuMeter
from scripts.bench.stats import Sample, by_kind, summarize, throughput


class Bench:
    """One run: the sink, the customers, the phases and what they measured."""

    def __init__(
        self,
        args: argparse.Namespace,
        base_url: str,
        sink: SmsSink,
        lines: list[str],
        pids: dict[str, int],
        actions_metrics: list[str],
    ) -> None:
        self.args = args
        self.pids = pids
        self.actions_metrics = actions_metrics
        self.base_url = base_url.rstrip("/")
        self.sink = sink
        self.pool = LinePool(lines)
        self.recorder = Recorder()
        self.run_id = secrets.token_hex(3)
        self._senders = 0

    def _sender(self) -> str:
        self._senders += 1
        return f"bench-{self.run_id}-{self._senders}"

    async def _customer_loop(
        self,
        customer: Customer,
        phase: str,
        step: int,
        deadline: float,
        once: bool = False,
    ) -> None:
        while time.perf_counter() < deadline:
            msisdn = self.pool.take()
            if msisdn is None:
                self.recorder.errors.append(
                    {
                        "phase": phase,
                        "step": step,
                        "sender": "-",
                        "error": "no bench line left (--lines)",
                    }
                )
                return
            await customer.converse(self._sender(), msisdn, phase, step, deadline)
            if once:
                return

    async def phase(
        self,
        http: aiohttp.ClientSession,
        phase: str,
        customers: int,
        seconds: float,
        pause: tuple[float, float] | None,
        once: bool = False,
    ) -> dict[str, Any]:
        """Run `customers` customers for `seconds`; what the window measured."""
        cpu = CpuMeter(self.pids)
        cpu.start()
        start = time.perf_counter()
        deadline = start + seconds
        tasks = []
        for index in range(customers):
            rng = random.Random(f"{self.args.seed}-{phase}-{customers}-{index}")
            customer = Customer(
                http, self.base_url, self.sink, self.recorder, rng, pause
            )
            tasks.append(
                self._customer_loop(customer, phase, customers, deadline, once)
            )
        await asyncio.gather(*tasks)
        return {
            **self.window(phase, customers, start, deadline),
            "cpu_cores": cpu.stop(),  # average cores used, per process and others
        }

    def samples(self, phase: str, step: int | None = None) -> list[Sample]:
        """The samples of a phase (and step)."""
        return [
            s
            for s in self.recorder.samples
            if s.phase == phase and (step is None or s.step == step)
        ]

    def window(self, phase: str, step: int, start: float, end: float) -> dict[str, Any]:
        """Latency of the messages sent in the window, throughput of those answered."""
        sent = self.samples(phase, step)
        answered = [s for s in sent if s.ended <= end]
        errors = [
            e for e in self.recorder.errors if e["phase"] == phase and e["step"] == step
        ]
        return {
            "messages": len(sent),
            "messages_per_second": round(throughput(answered, end - start), 2),
            "latency": by_kind(sent),
            "errors": len(errors),
        }

    async def run(self) -> dict[str, Any]:
        """Warm up, load (1), the capacity ramp, then the SMS accounting."""
        args = self.args
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as http:
            print(f"warm-up: {args.warmup} conversations", flush=True)
            for _ in range(args.warmup):
                await self.phase(http, "warmup", 1, 600, None, once=True)
            actions_before = await read_action_metrics(http, self.actions_metrics)
            print(
                f"load: {args.customers} customers for {args.duration:g} s", flush=True
            )
            load = await self.phase(
                http, "load", args.customers, args.duration, tuple(args.pause)
            )
            steps, done = await self._capacity_ramp(http)
            actions_after = await read_action_metrics(http, self.actions_metrics)
        best = capacity.capacity(done, limit_ms=args.limit_ms)
        measured = [s for s in self.recorder.samples if s.phase in ("load", "capacity")]
        conversations = [c for c in self.recorder.conversations if c.phase == "load"]
        return {
            "load": {
                "customers": args.customers,
                "pause_s": list(args.pause),
                "duration_s": args.duration,
                "conversations": len(conversations),
                "completed": sum(c.completed for c in conversations),
                **load,
                "per_turn": {
                    label: summarize(
                        [
                            s.seconds
                            for s in self.samples("load")
                            if s.label == label and s.ok
                        ]
                    )
                    for label in dict.fromkeys(s.label for s in self.samples("load"))
                },
            },
            "capacity": {
                "limit_ms": args.limit_ms,
                "step_seconds": args.step_seconds,
                "steps": steps,
                "capacity_msgs_per_s": best.messages_per_second if best else None,
                "capacity_customers": best.customers if best else None,
                "saturated": capacity.saturated(done, limit_ms=args.limit_ms),
            },
            "latency_all": by_kind(measured),
            "sms": await sms_accounting(self.sink, self.recorder.conversations),
            "errors": {
                "count": len(self.recorder.errors),
                "by_phase": dict(Counter(e["phase"] for e in self.recorder.errors)),
                # Which turn failed ("number: ... got ''"), or the client's error.
                "by_turn": dict(
                    Counter(
                        e["error"].split(":", 1)[0][:40] for e in self.recorder.errors
                    )
                ),
                "examples": self.recorder.errors[:20],
            },
            "lines_used": self.pool.used,
            # Server-side time per custom action (the action servers' histograms).
            "actions": action_time_spent(actions_before, actions_after),
        }

    async def _capacity_ramp(
        self, http: aiohttp.ClientSession
    ) -> tuple[list[dict[str, Any]], list[capacity.StepResult]]:
        """Customers without pauses, 1, 2, 4... until p95 passes --limit-ms."""
        args = self.args
        steps: list[dict[str, Any]] = []
        done: list[capacity.StepResult] = []
        while not args.skip_capacity:
            customers = capacity.next_step(
                done, limit_ms=args.limit_ms, max_customers=args.max_customers
            )
            if customers is None:
                break
            await asyncio.sleep(1)  # let the previous step's SMS go out
            step = {
                "customers": customers,
                **await self.phase(
                    http, "capacity", customers, args.step_seconds, None
                ),
            }
            steps.append(step)
            overall = step["latency"]["overall"]
            done.append(
                capacity.StepResult(
                    customers,
                    overall["p50_ms"],
                    overall["p95_ms"],
                    step["messages_per_second"],
                    step["errors"],
                )
            )
            print(
                f"capacity: {customers} customers, "
                f"{step['messages_per_second']:.1f} msgs/s, "
                f"p95 {overall['p95_ms']} ms",
                flush=True,
            )
        return steps, done
