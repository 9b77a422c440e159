"""The command line of scripts/bench.py (its docstring is the help's text)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import NamedTuple

from bot.config import PROJECT_ROOT

TODAY = "2026-12-01"  # a Tuesday: the bench lines' portings fall on Monday 14 December


class ServerPid(NamedTuple):
    """A server process given with --pids, and the name the report gives it."""

    label: str
    pid: int


def server_pid(text: str) -> ServerPid:
    """`16972` (reported as "pid 16972") or `rasa-1=16972` (reported as "rasa-1")."""
    name, named, number = text.rpartition("=")
    try:
        pid = int(number)
    except ValueError:
        pid = None
    if pid is None or (named and not name):
        raise argparse.ArgumentTypeError(f"expected PID or NAME=PID, not {text!r}")
    return ServerPid(name or f"pid {pid}", pid)


def parse_args(argv: list[str] | None, doc: str) -> argparse.Namespace:
    """The command line; `doc` (the script's docstring) gives the help's text."""
    parser = argparse.ArgumentParser(
        description=doc.split("\n\n")[0],
        epilog=doc.split("\n\n", 1)[1],
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
        type=server_pid,
        default=[],
        metavar="PID",
        help="with --url: server processes whose VmHWM is reported; "
        'NAME=PID (e.g. rasa-1=16972) names one in the report, else "pid PID"',
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
        default=PROJECT_ROOT / "results",
        help="where bench-<profile>.json/.png go (default results/)",
    )
    args = parser.parse_args(argv)
    if args.url and not (args.database_url and args.sink_port and args.sms_token):
        parser.error("--url needs --database-url, --sink-port and --sms-token")
    if not args.url and (args.database_url or args.pids):
        parser.error("--database-url and --pids go with --url")
    args.profile = args.profile or ("external" if args.url else "embedded")
    return args
