"""`make prod-local` started once for the scale-out tests, on free ports."""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from scripts.servers import MODEL
from tests.handset import Handset

TODAY = "2026-11-26"
JWT_SECRET = "prod-local-jwt-secret-of-at-least-32-bytes"
SERVER_SECRET = "prod-local-server-secret"
# scripts/prod_local.sh: each port is PROD_BASE_PORT plus one of these offsets.
OFFSETS = (0, 1, 2, 10, 11, 20, 21, 30, 40, 50, 60, 70)


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_base_port() -> int:
    """A base port whose every offset is free right now."""
    for _ in range(50):
        base = random.randrange(20000, 60000, 100)
        if all(_free(base + offset) for offset in OFFSETS):
            return base
    raise RuntimeError("no free range of ports for prod-local")


@dataclass
class ProdLocal:
    """The running topology and how to reach it."""

    base: int
    state: Path
    env: dict[str, str]
    process: subprocess.Popen
    restarted: list[subprocess.Popen] = field(default_factory=list)

    @property
    def front_url(self) -> str:
        """nginx, the customers' entry."""
        return f"http://127.0.0.1:{self.base}"

    @property
    def inside_url(self) -> str:
        """nginx, the inside entry: Rasa's API and the REST channel."""
        return f"http://127.0.0.1:{self.base + 1}"

    def rasa_url(self, index: int) -> str:
        """One Rasa server directly (0 or 1)."""
        return f"http://127.0.0.1:{self.base + 10 + index}"

    @property
    def database_url(self) -> str:
        """The domain database in the profile's PostgreSQL."""
        return f"postgresql://postgres@127.0.0.1:{self.base + 60}/bot"

    def pid(self, name: str) -> int:
        """The pid of one process (rasa-1, actions-2, dispatcher...)."""
        return int((self.state / "run" / f"{name}.pid").read_text())

    @property
    def handset(self) -> Handset:
        """The SMS the dispatcher's console provider printed (the customer's phone)."""
        return Handset(self.state / "log" / "dispatcher.log")

    def log(self, name: str) -> str:
        """The log of one process."""
        return (self.state / "log" / f"{name}.log").read_text(errors="replace")

    def kill(self, name: str) -> None:
        """SIGKILL one process and wait until its port is closed."""
        os.kill(self.pid(name), signal.SIGKILL)
        port = self.port(name)
        deadline = time.monotonic() + 10
        while _listening(port):
            if time.monotonic() > deadline:
                raise AssertionError(f"{name} still listens on {port}")
            time.sleep(0.05)

    def restart(self, name: str, timeout: float = 180) -> None:
        """Start one killed process again, as the script started it."""
        run = self.state / "run"
        command = f"source {run / 'env.sh'}; exec {(run / f'{name}.cmd').read_text()}"
        log = (self.state / "log" / f"{name}-restarted.log").open("w")
        process = subprocess.Popen(
            ["bash", "-c", command],
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.restarted.append(process)
        (run / f"{name}.pid").write_text(str(process.pid))
        deadline = time.monotonic() + timeout
        while not _listening(self.port(name)):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{name} did not start again")
            time.sleep(0.2)

    def port(self, name: str) -> int:
        """The port of a replica (rasa-1, actions-2...) or of the dispatcher."""
        if name == "dispatcher":
            return self.base + 50  # its metrics
        kind, number = name.rsplit("-", 1)
        offsets = {"rasa": 10, "actions": 20}
        return self.base + offsets[kind] + int(number) - 1

    def stop_restarted(self) -> None:
        """Stop what the tests started again."""
        for process in self.restarted:
            _stop(process)


@pytest.fixture(scope="session")
def prod_local() -> Iterator[ProdLocal]:
    """`make prod-local`'s script, as the README starts it, on a fresh state."""
    yield from run_prod_local({})


def run_prod_local(extra_env: dict[str, str]) -> Iterator[ProdLocal]:
    """Start the script with `extra_env`, yield it running, stop it."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` first")
    # Not under pytest's private temporary directory: PostgreSQL's server runs as
    # the postgres user, which must reach its data directory.
    state = Path(tempfile.mkdtemp(prefix="prod-local-"))
    base = free_base_port()
    env = dict(os.environ)
    env.update(
        PROD_BASE_PORT=str(base),
        PROD_STATE_DIR=str(state),
        BOT_TODAY=TODAY,
        SUPPORT_HOURS="always",
        RASA_JWT_SECRET=JWT_SECRET,
        BOT_SECRET_KEY=SERVER_SECRET,
        RASA_TELEMETRY_ENABLED="false",
        **extra_env,
    )
    output = (state / "prod-local.out").open("w")
    process = subprocess.Popen(
        ["bash", str(PROJECT_ROOT / "scripts" / "prod_local.sh")],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    ready = state / "run" / "ready"
    deadline = time.monotonic() + 360
    while not ready.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            _stop(process)
            pytest.fail(
                "prod-local did not start:\n"
                + (state / "prod-local.out").read_text()[-4000:]
            )
        time.sleep(1)
    running = ProdLocal(base=base, state=state, env=env, process=process)
    yield running
    running.stop_restarted()
    _stop(process)
    shutil.rmtree(state, ignore_errors=True)


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
