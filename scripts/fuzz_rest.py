"""REST fuzz: hostile messages to many conversations over Rasa's REST channel.

Sends --count messages (POST /webhooks/rest/webhook {"sender", "message"}) spread
over --conversations conversations, each conversation's messages in order, several
conversations at once. The messages, drawn from --seed: empty and whitespace,
control characters, right-to-left marks, emoji runs, HTML/JS, SQL fragments,
template and format strings, `/intent{json}` payloads (known and unknown intents,
valid and broken JSON, entities and slots with huge values), strings over 2,000
characters, random Unicode, random bytes decoded leniently, lone surrogates (valid
JSON escapes), mixed with ordinary French sentences of the assistant's flows.

Then checks: no HTTP 5xx and no request left unanswered; Rasa still answers
GET /status and a "bonjour" in a new conversation; every conversation touched
still loads through Rasa's HTTP API (GET /conversations/{id}/tracker with a JWT
signed with RASA_JWT_SECRET), with one user event per message sent (all events:
`/restart` payloads are among the messages). The answers to messages over 2,000
characters (not `/intent` payloads) are counted: the polite "trop long" one, or
another (a conversation handed to an advisor is silent, by design).

Targets:
  embedded (default)  starts the action server and Rasa (scripts/servers.py) on
                      free loopback ports, over a fresh SQLite file seeded with
                      fixtures/demo.yml, BOT_TODAY=--today, conversations in an SQL
                      tracker store (a second SQLite file; --memory-tracker-store for
                      Rasa's in-memory one), then stops them.
  --url BASE          an already-running Rasa (its REST channel and HTTP API);
                      --jwt-secret (default $RASA_JWT_SECRET) signs the API calls.

Prints the figures (messages sent, per-category and per-status counts, 5xx,
trackers checked, failures, messages per second); exit status 0, or 1 on any
failure, 2 when the servers could not start. The pieces are in scripts/fuzz/;
tests/e2e/test_fuzz_rest.py runs a short fuzz the same way.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: `bot` and `scripts` are beside it

from scripts.fuzz.client import jwt_headers  # noqa: E402
from scripts.fuzz.embedded import (  # noqa: E402
    DEFAULT_TODAY,
    NotStarted,
    embedded_servers,
    exited,
)
from scripts.fuzz.messages import LONG_MAX  # noqa: E402
from scripts.fuzz.report import FuzzReport  # noqa: E402
from scripts.fuzz.runner import (  # noqa: E402
    DEFAULT_COUNT,
    MESSAGES_PER_CONVERSATION,
    run_fuzz,
)


def parse_args(argv: Iterable[str] | None) -> argparse.Namespace:
    """The command line (see the module's docstring)."""
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--count",
        type=int,
        default=DEFAULT_COUNT,
        help=f"messages to send (default {DEFAULT_COUNT})",
    )
    parser.add_argument(
        "--conversations",
        type=int,
        help=f"conversations (default: count / {MESSAGES_PER_CONVERSATION})",
    )
    parser.add_argument("--seed", type=int, default=10, help="random seed (default 10)")
    parser.add_argument(
        "--workers", type=int, default=16, help="conversations at once (default 16)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=300,
        help="seconds to wait for one answer (default 300)",
    )
    parser.add_argument(
        "--long-max",
        type=int,
        default=LONG_MAX,
        help=f"longest message or entity value, in characters (default {LONG_MAX})",
    )
    parser.add_argument("--url", help="base URL of an already-running Rasa")
    parser.add_argument(
        "--jwt-secret",
        default=os.environ.get("RASA_JWT_SECRET"),
        help="with --url: Rasa's --jwt-secret (default: $RASA_JWT_SECRET)",
    )
    parser.add_argument(
        "--today",
        default=DEFAULT_TODAY,
        help=f"embedded: BOT_TODAY (default {DEFAULT_TODAY})",
    )
    parser.add_argument(
        "--memory-tracker-store",
        action="store_true",
        help="embedded: Rasa's in-memory tracker store instead of SQL",
    )
    parser.add_argument(
        "--keep-workdir",
        action="store_true",
        help="embedded: keep the temporary folder (databases, logs)",
    )
    return parser.parse_args(list(argv) if argv is not None else None)


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)  # unwinds through `finally`: servers stopped


def _progress(line: str) -> None:
    print(line, flush=True)


def _fuzz(
    args: argparse.Namespace,
    rasa_url: str,
    api_headers: Callable[[], dict[str, str]],
) -> FuzzReport:
    print(f"sending {args.count} messages (seed {args.seed}) to {rasa_url}", flush=True)
    return run_fuzz(
        rasa_url,
        api_headers,
        count=args.count,
        conversations=args.conversations,
        seed=args.seed,
        workers=args.workers,
        timeout=args.timeout,
        long_max=args.long_max,
        progress=_progress,
    )


def _embedded(args: argparse.Namespace) -> FuzzReport | None:
    """The fuzz against servers of its own; None when they could not start."""
    workdir = Path(tempfile.mkdtemp(prefix="fuzz-"))
    print(f"starting the action server and Rasa in {workdir} ...", flush=True)
    began = time.perf_counter()
    try:
        with embedded_servers(
            workdir, today=args.today, sql_trackers=not args.memory_tracker_store
        ) as servers:
            ready = time.perf_counter() - began
            print(f"servers ready after {ready:.0f} s", flush=True)
            report = _fuzz(args, servers.rasa_url, servers.api_headers)
            for what in exited(servers):
                report.fail(what)
            return report
    except NotStarted as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None
    finally:
        if args.keep_workdir:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def main(argv: Iterable[str] | None = None) -> int:
    """Run the fuzz (see the module's docstring)."""
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    if args.url:
        if not args.jwt_secret:
            print(
                "error: --jwt-secret (or RASA_JWT_SECRET) is needed with --url",
                file=sys.stderr,
            )
            return 2
        report = _fuzz(args, args.url, jwt_headers(args.jwt_secret))
    else:
        report = _embedded(args)
        if report is None:
            return 2
    print("\n".join(report.lines()), flush=True)
    print("REST fuzz: OK" if report.ok else "REST fuzz: FAILED", flush=True)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
