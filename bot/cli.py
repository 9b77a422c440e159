"""Command line: `python -m bot migrate | seed | outbox | dispatch | agents | purge`.

Each subcommand is a function `add_<name>(subparsers)` that declares its arguments
and sets `handler` (a function taking the parsed arguments and returning an exit
status); to add one, write such a function and list it in SUBCOMMANDS.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import textwrap
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.exc import ArgumentError, OperationalError

from bot.cli_agents import add_agents
from bot.clock import today
from bot.config import DEFAULT_FIXTURE, ConfigError, get_settings, positive_number
from bot.db import migrate, session_scope
from bot.handoff.agents import AccountError
from bot.logs import configure as configure_logs
from bot.messaging import dispatch_pending, run_forever, senders_from_settings
from bot.outbox import list_messages, to_dict
from bot.retention import MIN_DAYS, purge, purge_conversations
from bot.seed import SeedError, load_fixture, seed

# Problems a user can fix: reported as "error: ..." with exit status 2, no traceback.
EXPECTED_ERRORS: tuple[type[Exception], ...] = (
    SeedError,
    ConfigError,
    AccountError,
    ArgumentError,
    OperationalError,
)
USAGE_ERROR = 2


def _run_migrate(args: argparse.Namespace) -> int:
    migrate(get_settings().database_url)
    print(f"database up to date: {get_settings().database_url}")
    return 0


def add_migrate(subparsers: Any) -> None:
    """Declare `migrate`: bring the database schema up to date."""
    parser = subparsers.add_parser(
        "migrate", help="bring the database schema up to date"
    )
    parser.set_defaults(handler=_run_migrate)


def _run_seed(args: argparse.Namespace) -> int:
    day = today()
    data = load_fixture(args.file)
    migrate(get_settings().database_url)
    with session_scope() as session:
        report = seed(session, data, day)
    print(f"seeded {args.file} (today {day.isoformat()}): {report.summary()}")
    return 0


def add_seed(subparsers: Any) -> None:
    """Declare `seed`: load a fixture file (the demo data by default)."""
    parser = subparsers.add_parser("seed", help="load demo data into the database")
    parser.add_argument(
        "--file",
        type=Path,
        default=DEFAULT_FIXTURE,
        help=f"fixture file to load (default: {DEFAULT_FIXTURE})",
    )
    parser.set_defaults(handler=_run_seed)


def _table(rows: list[dict[str, Any]]) -> str:
    """Render outbox messages as a plain-text table."""
    if not rows:
        return "(no messages)"
    header = ("created (UTC)", "channel", "status", "attempts", "to", "text")
    lines = [header] + [
        (
            row["created_at"][:19].replace("T", " "),
            row["channel"],
            row["status"],
            str(row["attempts"]),
            row["to"],
            textwrap.shorten(row["text"], width=60, placeholder="…"),
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    padded = (
        [cell.ljust(width) for cell, width in zip(line, widths, strict=True)]
        for line in lines
    )
    return "\n".join("  ".join(cells).rstrip() for cells in padded)


def _run_outbox(args: argparse.Namespace) -> int:
    migrate(get_settings().database_url)
    with session_scope() as session:
        rows = [to_dict(message) for message in list_messages(session)]
    print(json.dumps(rows, ensure_ascii=False, indent=2) if args.json else _table(rows))
    return 0


def add_outbox(subparsers: Any) -> None:
    """Declare `outbox`: list queued and sent messages, oldest first."""
    parser = subparsers.add_parser("outbox", help="list outbox messages, oldest first")
    parser.add_argument("--json", action="store_true", help="print a JSON array")
    parser.set_defaults(handler=_run_outbox)


def _positive_seconds(raw: str) -> float:
    """argparse type: a number of seconds above zero, read as the settings are."""
    if not raw.strip():  # positive_number would give its default
        raise argparse.ArgumentTypeError(
            f"SECONDS must be a positive number, not {raw!r}"
        )
    try:
        return positive_number({"SECONDS": raw}, "SECONDS", 0.0)
    except ConfigError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _run_dispatch(args: argparse.Namespace) -> int:
    settings = get_settings()
    senders = senders_from_settings(settings)
    migrate(settings.database_url)
    configure_logs("dispatcher")
    logging.getLogger("twilio.http_client").setLevel(logging.WARNING)
    if args.once:
        report = dispatch_pending(settings=settings, senders=senders)
        print(f"dispatched: {report.summary()}")
        return 0
    if args.metrics_port:
        # Prometheus metrics (sends by provider, outbox depth, queue) on loopback.
        from prometheus_client import start_http_server

        from bot.metrics import register_database_figures

        register_database_figures(settings)
        start_http_server(args.metrics_port, addr="127.0.0.1")
    stop = threading.Event()
    # Ctrl-C or SIGTERM: finish the message in hand, then stop.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    print(
        f"dispatching the outbox with {settings.sms_provider} every "
        f"{args.interval:g} s; Ctrl-C to stop",
        file=sys.stderr,
    )
    run_forever(settings, senders, interval=args.interval, stop_event=stop)
    return 0


def add_dispatch(subparsers: Any) -> None:
    """Declare `dispatch`: send due outbox messages with the configured provider."""
    parser = subparsers.add_parser(
        "dispatch", help="send due outbox messages (SMS_PROVIDER chooses how)"
    )
    parser.add_argument(
        "--once", action="store_true", help="send what is due, print a report, exit"
    )
    parser.add_argument(
        "--interval",
        type=_positive_seconds,
        default=1.0,
        metavar="SECONDS",
        help="pause between two looks at the outbox (default: 1)",
    )
    parser.add_argument(
        "--metrics-port",
        type=int,
        default=0,
        metavar="PORT",
        help="serve Prometheus metrics on 127.0.0.1:PORT/metrics (default: none)",
    )
    parser.set_defaults(handler=_run_dispatch)


def _run_purge(args: argparse.Namespace) -> int:
    settings = get_settings()
    migrate(settings.database_url)
    with session_scope(settings) as session:
        deleted = purge(session, args.older_than)
    for kind, count in deleted.items():
        print(f"{count:6d}  {kind}")
    tracker_store = os.environ.get("TRACKER_STORE_URL", "").strip()
    if tracker_store:
        count = purge_conversations(tracker_store, args.older_than)
        print(f"{count:6d}  conversations (tracker store)")
    else:
        print(
            "conversations: the tracker store is in-process (TRACKER_STORE_URL is "
            "not set): nothing is kept after a restart"
        )
    return 0


def _days(raw: str) -> int:
    if not raw.isdigit() or int(raw) < MIN_DAYS:
        raise argparse.ArgumentTypeError(
            f"expected a whole number of days, at least {MIN_DAYS}, not {raw!r}"
        )
    return int(raw)


def add_purge(subparsers: Any) -> None:
    """Declare `purge`: delete old outbox texts, replay records, codes, links."""
    parser = subparsers.add_parser(
        "purge", help="delete records older than DAYS and print what was deleted"
    )
    parser.add_argument("--older-than", type=_days, required=True, metavar="DAYS")
    parser.set_defaults(handler=_run_purge)


SUBCOMMANDS: list[Callable[[Any], None]] = [
    add_migrate,
    add_seed,
    add_outbox,
    add_dispatch,
    add_agents,
    add_purge,
]


def build_parser() -> argparse.ArgumentParser:
    """Return the parser with every subcommand of SUBCOMMANDS."""
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Porting assistant: data and messages."
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in SUBCOMMANDS:
        add(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except EXPECTED_ERRORS as exc:
        message = " ".join(str(exc).split())
        print(f"error: {message}", file=sys.stderr)
        return USAGE_ERROR
