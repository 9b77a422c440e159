"""The embedded stack, started the way scripts/run.sh starts it (action server,
outbox dispatcher, Rasa server with endpoints.yml and a JWT-protected API) on free
loopback ports, over a fresh SQLite file; and the peak memory of server processes."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from bot.config import PROJECT_ROOT
from bot.handoff.gateway import api_token

VENV_BIN = Path(sys.executable).parent
MODEL = PROJECT_ROOT / "models" / "current.tar.gz"


def rasa_command() -> list[str]:
    """How scripts/run.sh starts Rasa: our launcher (`python -m channels.rasa_server
    run`: our logs, the action-call guard) once it exists, else `rasa run`."""
    if (PROJECT_ROOT / "channels" / "rasa_server.py").exists():
        return [sys.executable, "-m", "channels.rasa_server", "run"]
    return [str(VENV_BIN / "rasa"), "run"]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def vm_hwm_kib(status_text: str) -> int | None:
    """The VmHWM (peak resident set) of a /proc/<pid>/status text, in KiB."""
    for line in status_text.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def process_memory(pid: int) -> dict[str, object]:
    """Name, peak and current resident memory (MiB) of a running process."""
    proc = Path(f"/proc/{pid}")
    try:
        status = (proc / "status").read_text()
        command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return {"pid": pid, "command": None, "peak_mib": None, "rss_mib": None}
    rss = next(
        (
            int(line.split()[1])
            for line in status.splitlines()
            if line.startswith("VmRSS:")
        ),
        None,
    )
    hwm = vm_hwm_kib(status)
    return {
        "pid": pid,
        "command": command.strip()[:160],
        "peak_mib": None if hwm is None else round(hwm / 1024, 1),
        "rss_mib": None if rss is None else round(rss / 1024, 1),
    }


@dataclass
class EmbeddedStack:
    """Action server, dispatcher and Rasa server over `database_url`."""

    workdir: Path
    database_url: str
    extra_env: dict[str, str]
    rasa_port: int = field(default_factory=free_port)
    actions_port: int = field(default_factory=free_port)
    metrics_port: int = field(default_factory=free_port)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """Base URL of the Rasa server."""
        return f"http://127.0.0.1:{self.rasa_port}"

    def env(self) -> dict[str, str]:
        """The servers' environment, as scripts/run.sh builds it."""
        return {
            **os.environ,
            **self.extra_env,
            "PYTHONPATH": str(PROJECT_ROOT),
            "DATABASE_URL": self.database_url,
            "ACTION_SERVER_URL": f"http://127.0.0.1:{self.actions_port}/webhook",
            "RASA_API_URL": self.url,
            "RASA_TELEMETRY_ENABLED": "false",
        }

    def start(self) -> None:
        """Start the three processes (logs in workdir/logs)."""
        env = self.env()
        py = sys.executable
        self._spawn(
            "actions",
            [py, "-m", "actions.server", "--port", str(self.actions_port)],
            env,
        )
        self._spawn(
            "dispatcher",
            [py, "-m", "bot", "dispatch", "--metrics-port", str(self.metrics_port)],
            env,
        )
        self._spawn(
            "rasa",
            [
                *rasa_command(),
                "--enable-api",
                "--jwt-secret",
                env["RASA_JWT_SECRET"],
                "--jwt-method",
                "HS256",
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
            ],
            env,
        )

    async def wait_ready(self, timeout: float) -> None:
        """Poll each server until it answers 200; RuntimeError on exit or time-out."""
        headers = {
            "Authorization": f"Bearer {api_token(self.env()['RASA_JWT_SECRET'])}"
        }
        waiting = [
            (f"http://127.0.0.1:{self.actions_port}/health", {}),
            (f"http://127.0.0.1:{self.metrics_port}/metrics", {}),
            (f"{self.url}/status", headers),
        ]
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession() as session:
            while waiting:
                dead = [n for n, p in self.processes.items() if p.poll() is not None]
                if dead or time.monotonic() > deadline:
                    why = f"{', '.join(dead)} exited" if dead else "time-out"
                    raise RuntimeError(
                        f"the stack did not start ({why}):\n{self.tails()}"
                    )
                still = []
                for url, hdrs in waiting:
                    try:
                        async with session.get(url, headers=hdrs, timeout=2) as reply:
                            if reply.status != 200:
                                still.append((url, hdrs))
                    except (aiohttp.ClientError, asyncio.TimeoutError):
                        still.append((url, hdrs))
                waiting = still
                if waiting:
                    await asyncio.sleep(0.5)

    def pids(self) -> dict[str, int]:
        """The servers' process ids by name."""
        return {name: p.pid for name, p in self.processes.items()}

    def tails(self, chars: int = 2000) -> str:
        """The end of each log, for a failed start."""
        logs = sorted((self.workdir / "logs").glob("*.log"))
        return "\n".join(f"--- {log.name}\n{log.read_text()[-chars:]}" for log in logs)

    def stop(self) -> None:
        """SIGTERM each process group, SIGKILL what is still there after 20 s."""
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> None:
        logs = self.workdir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        with (logs / f"{name}.log").open("wb") as log:
            self.processes[name] = subprocess.Popen(
                command,
                cwd=PROJECT_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system, seconds) a process used so far, from /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after "(comm)": state is field 3
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU time all processes used so far (every core), from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = values[:8]
    busy = user + nice + system + irq + softirq + steal
    return busy / os.sysconf("SC_CLK_TCK")


def cpu_pressure_seconds() -> float | None:
    """Seconds some runnable task waited for a CPU (/proc/pressure/cpu), if known."""
    try:
        first = Path("/proc/pressure/cpu").read_text().split("\n")[0]
    except OSError:
        return None
    total = dict(item.split("=") for item in first.split()[1:]).get("total")
    return None if total is None else int(total) / 1e6


class CpuMeter:
    """CPU used during a phase: by each watched process, and by everything else
    on the machine (other people's tests make the figures noisy: this says how much)."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = {**pids, "bench": os.getpid()}
        self._start: tuple[float, float, dict[str, float | None]] | None = None
        self._pressure: float | None = None

    def start(self) -> None:
        """Take the first reading."""
        self._start = (time.monotonic(), machine_busy_seconds(), self._processes())
        self._pressure = cpu_pressure_seconds()

    def stop(self) -> dict[str, float | None]:
        """Average cores used since `start`, per process, "others" and "machine"."""
        assert self._start is not None, "start() first"
        began, busy, before = self._start
        elapsed = max(time.monotonic() - began, 1e-9)
        after = self._processes()
        used: dict[str, float | None] = {}
        for name, value in after.items():
            first = before.get(name)
            used[name] = (
                None if value is None or first is None else (value - first) / elapsed
            )
        machine = (machine_busy_seconds() - busy) / elapsed
        used["others"] = machine - sum(v for v in used.values() if v is not None)
        used["machine"] = machine
        # Share of the time some task was waiting for a CPU: contention, ours or not.
        pressure = cpu_pressure_seconds()
        if pressure is not None and self._pressure is not None:
            used["pressure"] = (pressure - self._pressure) / elapsed
        return {name: None if v is None else round(v, 2) for name, v in used.items()}

    def _processes(self) -> dict[str, float | None]:
        return {name: cpu_seconds(pid) for name, pid in self.pids.items()}
