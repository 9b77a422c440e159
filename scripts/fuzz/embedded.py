"""Servers of the fuzz's own: the action server and Rasa (scripts/servers.py) on
free loopback ports, over a fresh SQLite file in a folder of its own seeded with
fixtures/demo.yml. The demo numbers in the messages use up those lines' SMS codes
(3 an hour): other tests' servers must never be the target."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.config import PROJECT_ROOT
from scripts.servers import MODEL, Servers

DEFAULT_TODAY = "2026-11-26"


class NotStarted(Exception):
    """The servers could not start (no model, or they did not answer)."""


def embedded_env(workdir: Path, today: str, sql_trackers: bool) -> dict[str, str]:
    """The servers' environment, as tests/e2e/conftest.py builds it."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{workdir / 'bot.db'}",
        BOT_TODAY=today,
        PYTHONPATH=str(PROJECT_ROOT),
        RASA_TELEMETRY_ENABLED="false",
        BOT_SECRET_KEY="fuzz-secret",
        SUPPORT_HOURS="always",
    )
    if sql_trackers:  # conversations in a second SQLite file, as in production
        env["TRACKER_STORE_URL"] = f"sqlite:///{workdir / 'trackers.db'}"
    else:
        env.pop("TRACKER_STORE_URL", None)
    env.pop("LOCK_STORE_URL", None)
    return env


@contextmanager
def embedded_servers(
    workdir: Path,
    *,
    today: str = DEFAULT_TODAY,
    sql_trackers: bool = True,
    timeout: float = 240,
) -> Iterator[Servers]:
    """Seed a database in `workdir`, start the servers; stop them at the end."""
    if not MODEL.exists():
        raise NotStarted(f"no trained model at {MODEL}: run `make train` first")
    env = embedded_env(workdir, today, sql_trackers)
    subprocess.run(
        [sys.executable, "-m", "bot", "seed"],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    servers = Servers(workdir=workdir, env=env)
    try:
        servers.start(timeout)  # stops what it started when it fails
    except RuntimeError as exc:
        raise NotStarted(str(exc)) from exc
    try:
        yield servers
    finally:
        servers.stop()


def exited(servers: Servers) -> list[str]:
    """The server processes that are no longer running, described."""
    return [
        f"server process {process.args[2]} exited ({process.returncode})"
        for process in servers.processes
        if process.poll() is not None
    ]
