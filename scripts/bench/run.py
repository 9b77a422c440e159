"""A whole bench run: the SMS sink, the bench lines, the stack (embedded, or the one
at --url), the phases, then the report files and the exit status."""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import shutil
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from bot.config import Settings
from scripts.bench import fixture, report
from scripts.bench.external_stack import environment_warnings
from scripts.bench.phases import Bench
from scripts.bench.sink import SmsSink
from scripts.bench.stack import EmbeddedStack, free_port, process_memory, rasa_command


def _loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _expected_environment(args: argparse.Namespace, sink: SmsSink) -> dict[str, str]:
    """What the stack's servers must run with: the bench's day, advisors always
    there, and the sink as their SMS gateway."""
    return {
        "BOT_TODAY": args.today,
        "SUPPORT_HOURS": "always",
        "SMS_PROVIDER": "http",
        "SMS_HTTP_URL": f"http://127.0.0.1:{sink.port}/sms",
    }


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
            pids = dict(args.pids)  # label -> pid
            actions_metrics = args.actions_metrics
            expected = _expected_environment(args, sink)
            for warning in environment_warnings(pids, expected):
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
                    **_expected_environment(args, sink),
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
    clean = _conclude(result, args, loadavg_before)
    json_path = args.out_dir / f"bench-{args.profile}.json"
    png_path = args.out_dir / f"bench-{args.profile}.png"
    report.write_json(result, json_path)
    print(report.text(result))
    report.draw(
        result, [s for s in bench.recorder.samples if s.phase == "load"], png_path
    )
    print(f"wrote {json_path} and {png_path}")
    return 0 if clean else 1


def _conclude(
    result: dict[str, Any], args: argparse.Namespace, loadavg_before: list[float]
) -> bool:
    """Add the machine, the settings and the verdict; tell whether the run was clean
    (no error, no SMS lost or duplicated)."""
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
    return clean
