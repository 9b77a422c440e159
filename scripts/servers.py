"""Start the real action server and Rasa server (and the agent console) on free
loopback ports: for the end-to-end tests, the fuzz and the dialogue evaluation."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import PROJECT_ROOT
from bot.handoff.gateway import api_token

MODEL = PROJECT_ROOT / "models" / "current.tar.gz"
JWT_SECRET = "e2e-jwt-secret-of-at-least-32-bytes"
ACTION_SERVER_TOKEN = "e2e-action-server-token"


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Servers:
    """The running servers and how to reach them."""

    workdir: Path
    env: dict[str, str]
    rasa_port: int = field(default_factory=free_port)
    actions_port: int = field(default_factory=free_port)
    # The agent console too (`python -m console`), as `make run` starts it.
    with_console: bool = False
    console_port: int = field(default_factory=free_port)
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def rasa_url(self) -> str:
        """Base URL of the Rasa server."""
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        """Base URL of the action server."""
        return f"http://127.0.0.1:{self.actions_port}"

    @property
    def console_url(self) -> str:
        """Base URL of the agent console."""
        return f"http://127.0.0.1:{self.console_port}"

    def api_headers(self) -> dict[str, str]:
        """Headers that Rasa's HTTP API (JWT-protected) accepts."""
        return {"Authorization": f"Bearer {api_token(self.env['RASA_JWT_SECRET'])}"}

    def start(self, timeout: float = 240) -> None:
        """Start the servers and wait until they answer."""
        # The project's endpoints.yml, as `make run` uses it: ports come from here.
        self.env = {
            **self.env,
            "ACTION_SERVER_URL": f"http://127.0.0.1:{self.actions_port}/webhook",
            "RASA_API_URL": self.rasa_url,
            "RASA_JWT_SECRET": self.env.get("RASA_JWT_SECRET") or JWT_SECRET,
            "ACTION_SERVER_TOKEN": self.env.get("ACTION_SERVER_TOKEN")
            or ACTION_SERVER_TOKEN,
        }
        logs = self.workdir / "logs"
        logs.mkdir(exist_ok=True)
        self._spawn(
            [sys.executable, "-m", "actions.server", "--port", str(self.actions_port)],
            logs / "actions.log",
        )
        self._spawn(
            [
                sys.executable,
                "-m",
                "channels.rasa_server",
                "run",
                "--enable-api",
                "--interface",
                "127.0.0.1",
                "--port",
                str(self.rasa_port),
                "--model",
                str(MODEL),
                "--credentials",
                str(PROJECT_ROOT / "credentials.yml"),
                "--endpoints",
                str(PROJECT_ROOT / "endpoints.yml"),
                "--jwt-secret",
                self.env["RASA_JWT_SECRET"],
                "--jwt-method",
                "HS256",
            ],
            logs / "rasa.log",
        )
        ready = [
            f"http://127.0.0.1:{self.actions_port}/health",
            f"{self.rasa_url}/status",
        ]
        if self.with_console:
            self._spawn(
                [sys.executable, "-m", "console", "--port", str(self.console_port)],
                logs / "console.log",
            )
            ready.append(f"{self.console_url}/")
        waited = subprocess.run(
            [
                sys.executable,
                str(PROJECT_ROOT / "scripts" / "wait_ready.py"),
                *ready,
                "--timeout",
                str(timeout),
                "--pids",
                *[str(p.pid) for p in self.processes],
            ],
            env=self.env,
            check=False,
        )
        if waited.returncode != 0:
            self.stop()
            tails = "\n".join(
                f"--- {log.name}\n{log.read_text()[-3000:]}"
                for log in sorted(logs.iterdir())
            )
            raise RuntimeError(f"the servers did not start:\n{tails}")

    def stop(self) -> None:
        """Stop the servers."""
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.processes.clear()

    def _spawn(self, command: list[str], log: Path) -> None:
        self.processes.append(
            subprocess.Popen(
                command,
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
