"""Play the held-out scripted conversations against the real servers and report.

Usage: python scripts/eval_dialogues.py [--set PATH ...] [--only ID ...]
       [--category C ...] [--verbose] [--json PATH] [--keep-workdir]

The format and the checks are in tests/dialogues/README.md. The action server and
the Rasa server run on free loopback ports over a fresh SQLite file seeded with
fixtures/demo.yml; before each conversation the database goes back to the seeded
state (in-process), and each conversation talks over the REST channel with its own
sender id. Prints the share of conversations right, the wrong actions, a table per
category and every failing conversation with its failed checks; writes everything
to a JSON file. Exit status: 0 (even when conversations fail), 2 on a malformed
conversation file, 1 when the servers cannot start.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: `bot` is beside `scripts`

from bot.clock import today  # noqa: E402
from bot.config import DEFAULT_FIXTURE, Settings  # noqa: E402
from bot.db import session_scope  # noqa: E402
from bot.seed import FixtureData, load_fixture  # noqa: E402
from scripts.dialogue_eval import database  # noqa: E402
from scripts.dialogue_eval.judge import EndState, Portings, judge  # noqa: E402
from scripts.dialogue_eval.player import BotUnavailable, Messages, play  # noqa: E402
from scripts.dialogue_eval.report import Result, summary, to_json  # noqa: E402
from scripts.dialogue_eval.spec import (  # noqa: E402
    CATEGORIES,
    Conversation,
    FormatError,
    load_sets,
)
from scripts.servers import MODEL, Servers  # noqa: E402

DEFAULT_SET = ROOT / "tests" / "dialogues" / "heldout"
DEFAULT_JSON = ROOT / "results" / "dialogues.json"
TODAY = "2026-12-01"
SERVERS_DOWN, MALFORMED = 1, 2


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="PATH",
        help=f"a file or folder of conversations (default {DEFAULT_SET})",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="ID",
        help="play only this conversation (repeatable)",
    )
    parser.add_argument(
        "--category",
        action="append",
        default=[],
        choices=CATEGORIES,
        help="play only this category (repeatable)",
    )
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="print the transcript of each failing conversation",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=DEFAULT_JSON,
        metavar="PATH",
        help=f"where to write the results (default {DEFAULT_JSON})",
    )
    parser.add_argument(
        "--keep-workdir",
        action="store_true",
        help="keep the temporary folder (database, server logs)",
    )
    return parser.parse_args(argv)


def select_conversations(
    conversations: list[Conversation], only: list[str], categories: list[str]
) -> list[Conversation]:
    """The conversations named by --only and in the --category list (all if none)."""
    unknown = set(only) - {c.id for c in conversations}
    if unknown:
        raise FormatError([f"--only: no conversation {i!r}" for i in sorted(unknown)])
    return [
        c
        for c in conversations
        if (not only or c.id in only) and (not categories or c.category in categories)
    ]


def server_env(workdir: Path) -> dict[str, str]:
    """The servers' environment: a fresh database, today pinned, advisors present."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{workdir / 'bot.db'}",
        BOT_TODAY=TODAY,
        SUPPORT_HOURS="always",
        BOT_SECRET_KEY="eval-secret",
        RASA_TELEMETRY_ENABLED="false",
        PYTHONPATH=str(ROOT),
    )
    return env


def rest_sender(servers: Servers, sender: str) -> Callable[[str], Messages]:
    """A function posting one message as `sender` and returning the answers."""
    url = f"{servers.rasa_url}/webhooks/rest/webhook"

    def send(message: str) -> Messages:
        body = json.dumps({"sender": sender, "message": message}).encode()
        request = urllib.request.Request(
            url, data=body, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=90) as response:
                answers = json.loads(response.read().decode())
        except (OSError, ValueError) as exc:  # URLError, HTTPError, time-out, JSON
            raise BotUnavailable(str(exc)) from exc
        if not isinstance(answers, list):
            raise BotUnavailable(f"not a list of messages: {answers!r}")
        return answers

    return send


def play_one(
    conversation: Conversation,
    servers: Servers,
    settings: Settings,
    fixture: tuple[FixtureData, Portings],
) -> Result:
    """Reset the database, play the conversation, judge what it left behind."""
    data, seeded = fixture
    with session_scope(settings) as session:
        restored = database.reset(session, data, today(settings), seeded)
    if restored:
        print(f"note: seed did not restore {restored}; written back", file=sys.stderr)
    sender = f"eval-{conversation.id}-{uuid.uuid4().hex[:8]}"

    def latest_code(line: str) -> str | None:
        with session_scope(settings) as session:
            return database.latest_code(session, line)

    played = play(conversation, rest_sender(servers, sender), latest_code)
    with session_scope(settings) as session:
        end = EndState(
            seeded=seeded,
            final=database.read_portings(session),
            sent=database.sent_kinds(session),
            handoffs=database.handoffs(session, sender),
        )
    return Result(conversation, sender, played, end, judge(conversation, played, end))


def seed_database(env: dict[str, str]) -> None:
    """Load the demo fixture with `python -m bot seed`; RuntimeError if it fails."""
    if not MODEL.exists():
        raise RuntimeError(f"no trained model at {MODEL}: run `make train` first")
    seeded = subprocess.run(
        [sys.executable, "-m", "bot", "seed", "--file", str(DEFAULT_FIXTURE)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if seeded.returncode != 0:
        raise RuntimeError(f"seed failed:\n{seeded.stdout}{seeded.stderr}")


def run(conversations: list[Conversation], workdir: Path) -> tuple[list[Result], float]:
    """Seed, start the servers, play every conversation, stop the servers; the
    results and the seconds the servers took to start."""
    env = server_env(workdir)
    settings = Settings.from_env(env)
    began = time.monotonic()
    seed_database(env)
    with session_scope(settings) as session:  # the portings as seeded
        fixture = (load_fixture(DEFAULT_FIXTURE), database.read_portings(session))
    servers = Servers(workdir=workdir, env=env)
    servers.start()  # RuntimeError (with the logs' tails) if they do not start
    startup = time.monotonic() - began
    print(f"servers up in {startup:.0f} s", file=sys.stderr)
    results: list[Result] = []
    try:
        for number, conversation in enumerate(conversations, 1):
            result = play_one(conversation, servers, settings, fixture)
            results.append(result)
            verdict = "right" if result.verdict.right else "FAIL"
            print(
                f"[{number}/{len(conversations)}] {conversation.id}: {verdict}",
                file=sys.stderr,
            )
            if any(process.poll() is not None for process in servers.processes):
                raise RuntimeError(f"a server stopped; logs in {workdir / 'logs'}")
    finally:
        servers.stop()
    return results, startup


def main(argv: list[str] | None = None) -> int:
    """Load, play, report; the exit status."""
    args = parse_args(argv)
    sets = args.set or [str(DEFAULT_SET)]
    if not args.set and not DEFAULT_SET.is_dir():
        print(f"no conversations: {DEFAULT_SET} does not exist", file=sys.stderr)
        return 0
    lines = [
        line.msisdn for c in load_fixture(DEFAULT_FIXTURE).customers for line in c.lines
    ]
    try:
        conversations = select_conversations(
            load_sets(sets, lines), args.only, args.category
        )
    except FormatError as exc:
        print("malformed conversations:", *exc.problems, sep="\n  ", file=sys.stderr)
        return MALFORMED
    if not conversations:
        print("no conversation to play", file=sys.stderr)
        return 0
    began = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="eval-dialogues-"))
    try:
        results, startup = run(conversations, workdir)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return SERVERS_DOWN
    finally:
        if args.keep_workdir:
            print(f"work folder kept: {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    seconds = time.monotonic() - began
    print(summary(results, seconds, startup, verbose=args.verbose))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            to_json(results, seconds, startup, sets), ensure_ascii=False, indent=2
        )
    )
    print(f"\nresults written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
