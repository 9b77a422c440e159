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
                      (the server processes whose peak memory is reported, each PID
                      or NAME=PID). Several Rasa servers behind one URL must share
                      conversations (a conversation's messages may reach any of
                      them). Example:
    scripts/bench.py --profile prod-local --url http://127.0.0.1:8000 \\
      --database-url postgresql://bot:pw@127.0.0.1/bot --sink-port 18099 \\
      --pids rasa-1=4101 rasa-2=4102 actions-1=4103 actions-2=4104 \\
      --sms-token "$SMS_HTTP_TOKEN" --actions-metrics http://127.0.0.1:5055/metrics

Bench lines: numbers 0790000000 and up, one customer and porting each (Monday 14
December 2026 with --today 2026-12-01), each used by one conversation only.

Writes results/bench-<profile>.json and results/bench-<profile>.png. Exit status 0,
or 1 when a message failed or an SMS was lost or duplicated (the target p95 is
reported, not enforced), 2 when the stack could not start.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: `bot` is beside `scripts`

from scripts.bench.command_line import parse_args  # noqa: E402
from scripts.bench.run import main_async  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark."""
    return asyncio.run(main_async(parse_args(argv, __doc__)))


if __name__ == "__main__":
    sys.exit(main())
