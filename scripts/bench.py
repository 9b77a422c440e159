"""Benchmark: simulated customers through whole conversations against a running stack.

Each conversation (its own sender id and its own bench line): a greeting, an FAQ
question, "merci", a verified date change (number, the SMS code read from the SMS the
stack sends, a new date, "oui"), "merci" again, then a request for an advisor (a ticket
is queued: SUPPORT_HOURS=always). "merci" gets a plain response with no custom action:
the bare Rasa floor, measured apart from the messages that run custom actions.

Two loads: (1) --customers customers at once, each pausing --pause seconds (random,
seeded) between messages, for --duration seconds; (2) the capacity ramp: customers
without pauses, 1, 2, 4, 8... for --step-seconds each, until p95 passes --limit-ms;
the capacity is the messages per second of the last step under it.

The stack's SMS gateway is a sink inside this process (SMS_PROVIDER=http): the
dispatcher POSTs {"to", "text"} to it with a bearer token, it hands each code to the
customer waiting on that number and counts every SMS per line (exactly one code and
one confirmation per verified change, or they are reported lost or duplicated).

Profiles:
  embedded (default)  starts the action server, the dispatcher and the Rasa server as
                      scripts/run.sh does (`python -m channels.rasa_server run`, or
                      `rasa run` without that launcher), on free loopback ports, over a
                      fresh SQLite file in a temporary folder (migrated, seeded with
                      fixtures/demo.yml and the bench lines), then stops them.
  --url BASE          an already-running stack (e.g. `make prod-local`), started with
                      BOT_TODAY=<--today>, SUPPORT_HOURS=always, SMS_PROVIDER=http,
                      SMS_HTTP_URL=http://127.0.0.1:<--sink-port>/sms and
                      SMS_HTTP_TOKEN=<--sms-token>; needs --database-url (its database:
                      the bench lines are seeded there and reset: their portings back
                      to the fixture's date, their codes and SMS deleted) and --pids
                      (the server processes whose peak memory is reported). Several
                      Rasa servers behind one URL must share conversations (a
                      conversation's messages may reach any of them). Example:
    scripts/bench.py --profile prod-local --url http://127.0.0.1:8000 \\
      --database-url postgresql://bot:pw@127.0.0.1/bot --pids 4101 4102 4103 4104 \\
      --sink-port 18099 --sms-token "$SMS_HTTP_TOKEN" \\
      --actions-metrics http://127.0.0.1:5055/metrics

Bench lines: numbers 0790000000 and up, one customer and porting each (Monday 14
December 2026 with --today 2026-12-01), each used by one conversation only.

Writes results/bench-<profile>.json and results/bench-<profile>.png. Exit status 0,
or 1 when a message failed or an SMS was lost or duplicated (the target p95 is
reported, not enforced), 2 when the stack could not start.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: `bot` is beside `scripts`

import aiohttp  # noqa: E402

from bot.config import Settings  # noqa: E402
from scripts.bench import capacity, fixture, report  # noqa: E402
from scripts.bench.customer import (  # noqa: E402
    ConversationRecord,
    Customer,
    LinePool,
    Recorder,
)
from scripts.bench.sink import SmsSink  # noqa: E402
from scripts.bench.stack import (  # noqa: E402
    CpuMeter,
    EmbeddedStack,
    action_seconds,
    action_time_spent,
    free_port,
    process_memory,
    rasa_command,
)
from scripts.bench.stats import Sample, by_kind, summarize, throughput  # noqa: E402

TODAY = "2026-12-01"  # a Tuesday: the bench lines' portings fall on Monday 14 December


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line (see the module's docstring)."""
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run = parser.add_argument_group("what to run against")
    run.add_argument(
        "--profile",
        help="name in the results' file names (default: "
        "embedded, or external with --url)",
    )
    run.add_argument(
        "--url",
        help="base URL of an already-running stack's Rasa "
        "(REST channel at BASE/webhooks/rest/webhook)",
    )
    run.add_argument("--database-url", help="with --url: the stack's DATABASE_URL")
    run.add_argument(
        "--pids",
        nargs="+",
        type=int,
        default=[],
        metavar="PID",
        help="with --url: server processes whose VmHWM is reported",
    )
    run.add_argument(
        "--sink-port",
        type=int,
        help="port of the SMS sink (with --url: "
        "the one in the stack's SMS_HTTP_URL; default: a free port)",
    )
    run.add_argument(
        "--sms-token",
        default=os.environ.get("SMS_HTTP_TOKEN"),
        help="bearer token the stack sends (SMS_HTTP_TOKEN; default: "
        "$SMS_HTTP_TOKEN, or a random one for the embedded stack)",
    )
    run.add_argument(
        "--actions-metrics",
        nargs="+",
        default=[],
        metavar="URL",
        help="with --url: the action servers' /metrics (time spent per action)",
    )
    run.add_argument("--today", default=TODAY, help=f"BOT_TODAY (default {TODAY})")
    run.add_argument(
        "--keep-workdir",
        action="store_true",
        help="embedded: keep the temporary folder (database, logs)",
    )
    load = parser.add_argument_group("loads")
    load.add_argument(
        "--customers",
        type=int,
        default=20,
        help="load (1): simultaneous customers (default 20)",
    )
    load.add_argument(
        "--pause",
        type=float,
        nargs=2,
        default=(1.0, 2.0),
        metavar=("MIN", "MAX"),
        help="load (1): seconds between messages (default 1 2)",
    )
    load.add_argument(
        "--duration", type=float, default=75, help="load (1): seconds (default 75)"
    )
    load.add_argument(
        "--step-seconds",
        type=float,
        default=15,
        help="capacity: seconds per step (default 15)",
    )
    load.add_argument(
        "--max-customers",
        type=int,
        default=64,
        help="capacity: most customers in a step (default 64)",
    )
    load.add_argument(
        "--limit-ms",
        type=float,
        default=1000,
        help="capacity: the p95 that ends the ramp (default 1000)",
    )
    load.add_argument(
        "--target-p95-ms",
        type=float,
        default=150,
        help="the issue's target p95 at load (1) (default 150)",
    )
    load.add_argument(
        "--lines",
        type=int,
        default=1500,
        help="bench lines seeded, one per conversation (default 1500)",
    )
    load.add_argument(
        "--warmup",
        type=int,
        default=2,
        help="unmeasured conversations first (default 2)",
    )
    load.add_argument("--seed", type=int, default=9, help="random seed (default 9)")
    load.add_argument("--skip-capacity", action="store_true", help="load (1) only")
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=ROOT / "results",
        help="where bench-<profile>.json/.png go (default results/)",
    )
    args = parser.parse_args(argv)
    if args.url and not (args.database_url and args.sink_port and args.sms_token):
        parser.error("--url needs --database-url, --sink-port and --sms-token")
    if not args.url and (args.database_url or args.pids):
        parser.error("--database-url and --pids go with --url")
    args.profile = args.profile or ("external" if args.url else "embedded")
    return args


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
            actions_before = await self.action_readings(http)
            print(
                f"load: {args.customers} customers for {args.duration:g} s", flush=True
            )
            load = await self.phase(
                http, "load", args.customers, args.duration, tuple(args.pause)
            )
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
            actions_after = await self.action_readings(http)
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
            "sms": await self.sms_accounting(),
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

    async def action_readings(
        self, http: aiohttp.ClientSession
    ) -> dict[str, tuple[float, float]]:
        """(calls, seconds) per action, summed over the action servers' /metrics."""
        total: dict[str, tuple[float, float]] = {}
        for url in self.actions_metrics:
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

    async def sms_accounting(self, grace: float = 15.0) -> dict[str, Any]:
        """Compare the SMS each conversation caused with what the sink received."""
        records = self.recorder.conversations

        def expected(record: ConversationRecord) -> Counter[str]:
            return Counter(
                code=record.codes_expected, change_sms=record.confirmations_expected
            )

        def missing() -> int:
            return sum(
                (expected(c) - self.sink.counts(c.msisdn)).total() for c in records
            )

        deadline = time.perf_counter() + grace
        while missing() and time.perf_counter() < deadline:
            await asyncio.sleep(0.25)
        await asyncio.sleep(1.5)  # a duplicate would come at the next dispatch
        lost = duplicated = 0
        for record in records:  # one line per conversation: counts per line
            got, want = self.sink.counts(record.msisdn), expected(record)
            lost += (want - got).total()
            duplicated += (got - want).total()  # a second copy, or any other SMS
        ours = {c.msisdn for c in records}
        stray = sum(len(v) for k, v in self.sink.received.items() if k not in ours)
        received = sum((self.sink.counts(n) for n in ours), Counter())
        waits = [c.code_wait for c in records if c.code_wait is not None]
        return {
            "verified_changes": sum(c.confirmations_expected for c in records),
            "codes_expected": sum(c.codes_expected for c in records),
            "codes_received": received["code"],
            "confirmations_expected": sum(c.confirmations_expected for c in records),
            "confirmations_received": received["change_sms"],
            "lost": lost,
            "duplicated": duplicated + stray,
            "stray": stray,  # SMS to numbers no conversation used
            "refused": self.sink.refused,
            "code_wait": summarize(waits),
        }


def _loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _check_environment(pids: list[int], expected: dict[str, str]) -> list[str]:
    """Warnings for server processes whose environment differs from the bench's."""
    warnings = []
    for pid in pids:
        try:
            raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        except OSError:
            continue
        env = dict(item.decode(errors="replace").partition("=")[::2] for item in raw)
        if "DATABASE_URL" not in env:  # not one of ours (nginx...)
            continue
        for name, value in expected.items():
            if env.get(name) != value:
                warnings.append(
                    f"pid {pid}: {name}={env.get(name)!r}, expected {value!r}"
                )
    return warnings


async def main_async(args: argparse.Namespace) -> int:
    """Prepare the data and the stack, run the bench, report."""
    token = args.sms_token or secrets.token_hex(16)
    sink = SmsSink(token)
    await sink.start(args.sink_port or free_port())
    day = date.fromisoformat(args.today)
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    stack: EmbeddedStack | None = None
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    loadavg_before = _loadavg()
    try:
        bench_file = fixture.write_fixture(workdir / "bench-lines.yml", args.lines)
        if args.url:
            database_url, base_url = args.database_url, args.url
            pids = {f"pid {pid}": pid for pid in args.pids}
            actions_metrics = args.actions_metrics
            for warning in _check_environment(
                args.pids,
                {
                    "BOT_TODAY": args.today,
                    "SUPPORT_HOURS": "always",
                    "SMS_PROVIDER": "http",
                    "SMS_HTTP_URL": f"http://127.0.0.1:{sink.port}/sms",
                },
            ):
                print(f"warning: {warning}", file=sys.stderr)
        else:
            database_url = f"sqlite:///{workdir / 'bot.db'}"
        settings = Settings(database_url=database_url, today_override=args.today)
        print(f"seeding {args.lines} bench lines into {database_url}", flush=True)
        lines = await asyncio.to_thread(
            fixture.prepare, settings, day, bench_file, with_demo=not args.url
        )
        if not args.url:
            stack = EmbeddedStack(
                workdir,
                database_url,
                {
                    "BOT_TODAY": args.today,
                    "SUPPORT_HOURS": "always",
                    "SMS_PROVIDER": "http",
                    "SMS_HTTP_URL": f"http://127.0.0.1:{sink.port}/sms",
                    "SMS_HTTP_TOKEN": token,
                    "ACTION_SERVER_TOKEN": secrets.token_hex(16),
                    "RASA_JWT_SECRET": secrets.token_hex(32),
                    "BOT_SECRET_KEY": secrets.token_hex(16),
                },
            )
            stack.start()
            print(f"starting the embedded stack in {workdir} ...", flush=True)
            ready_from = time.perf_counter()
            try:
                await stack.wait_ready(timeout=300)
            except RuntimeError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
            print(
                f"stack ready after {time.perf_counter() - ready_from:.0f} s",
                flush=True,
            )
            base_url, pids = stack.url, stack.pids()
            actions_metrics = [f"http://127.0.0.1:{stack.actions_port}/metrics"]
        bench = Bench(args, base_url, sink, lines, pids, actions_metrics)
        result: dict[str, Any] = {
            "profile": args.profile,
            "started_at": started,
            "rasa_launcher": "external" if args.url else " ".join(rasa_command()[1:]),
        }
        result.update(await bench.run())
        result["memory"] = {name: process_memory(pid) for name, pid in pids.items()}
    finally:
        if stack is not None:
            stack.stop()
        await sink.stop()
        if not args.keep_workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    result["machine"] = {
        "cpus": os.cpu_count(),
        "loadavg_before": loadavg_before,
        "loadavg_after": _loadavg(),
    }
    result["settings"] = {
        k: (str(v) if isinstance(v, Path) else v)
        for k, v in vars(args).items()
        if k != "sms_token"
    }
    load_p95 = result["load"]["latency"]["overall"]["p95_ms"]
    sms = result["sms"]
    clean = (
        result["errors"]["count"] == 0 and sms["lost"] == 0 and sms["duplicated"] == 0
    )
    result["verdict"] = {
        "target_p95_ms": args.target_p95_ms,
        "load_p95_ms": load_p95,
        "met": clean and load_p95 is not None and load_p95 <= args.target_p95_ms,
    }
    json_path = args.out_dir / f"bench-{args.profile}.json"
    png_path = args.out_dir / f"bench-{args.profile}.png"
    report.write_json(result, json_path)
    print(report.text(result))
    report.draw(
        result, [s for s in bench.recorder.samples if s.phase == "load"], png_path
    )
    print(f"wrote {json_path} and {png_path}")
    return 0 if clean else 1


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark."""
    return asyncio.run(main_async(parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
