"""`make run`'s script as a user starts it, on ports that are not the defaults.

Every URL between the processes must follow the ports (a custom action answers, the
page points at Rasa, the console reaches Rasa), the banner prints the console's demo
agent, and stopping the script stops every process it started.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests

from bot.config import PROJECT_ROOT
from scripts.servers import MODEL, free_port

BANNER_TIMEOUT = 240


@dataclass
class RunningScript:
    """scripts/run.sh and what its banner said."""

    process: subprocess.Popen
    ports: dict[str, int]
    banner: str

    def url(self, name: str) -> str:
        """Base URL of a server (RASA, ACTIONS, WEB, CONSOLE, DISPATCH_METRICS)."""
        return f"http://127.0.0.1:{self.ports[name]}"


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningScript]:
    """scripts/run.sh with every port moved, stdin not a terminal."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` first")
    workdir = tmp_path_factory.mktemp("run")
    names = ("RASA", "ACTIONS", "WEB", "CONSOLE", "DISPATCH_METRICS")
    ports = {name: free_port() for name in names}
    env = {
        **os.environ,
        **{f"{name}_PORT": str(port) for name, port in ports.items()},
        "ACTION_SERVER_TOKEN": "run-script-action-token",
        "DATABASE_URL": f"sqlite:///{workdir / 'bot.db'}",
        "BOT_SECRET_KEY": "run-script-secret",
        "RASA_JWT_SECRET": "run-script-jwt-secret-of-32-bytes-or-more",
        "SUPPORT_HOURS": "always",
        "RASA_TELEMETRY_ENABLED": "false",
    }
    log = (workdir / "run.log").open("w+")
    process = subprocess.Popen(
        ["bash", "scripts/run.sh"],
        cwd=PROJECT_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + BANNER_TIMEOUT
    banner = ""
    while "Assistant prêt" not in banner:
        if process.poll() is not None or time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail(
                f"scripts/run.sh did not start:\n{(workdir / 'run.log').read_text()}"
            )
        time.sleep(1)
        banner = (workdir / "run.log").read_text()
    yield RunningScript(process, ports, banner)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


def _pids_of_session(session_id: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.getsid(int(entry)) == session_id:
                    found.append(int(entry))
            except (ProcessLookupError, PermissionError):
                continue
    return found


def test_a_custom_action_answers_on_moved_ports(running: RunningScript) -> None:
    answer = requests.post(
        f"{running.url('RASA')}/webhooks/rest/webhook",
        json={
            "sender": f"run-{uuid.uuid4().hex[:6]}",
            "message": "je veux décaler ma portabilité",
        },
        timeout=60,
    ).json()
    # The porting form's question comes from the action server, on ACTIONS_PORT.
    assert "numéro de mobile concerné" in " ".join(m.get("text", "") for m in answer)
    config = requests.get(f"{running.url('WEB')}/config.js", timeout=10).text
    assert running.url("RASA") in config


def test_both_metrics_endpoints_answer_on_their_ports_and_actions_need_the_token(
    running: RunningScript,
) -> None:
    for name in ("ACTIONS", "DISPATCH_METRICS"):
        url = f"{running.url(name)}/metrics"
        assert url in running.banner
        metrics = requests.get(url, timeout=10)
        assert metrics.status_code == 200
        assert "assistant_outbox_depth" in metrics.text
    refused = requests.post(
        f"{running.url('ACTIONS')}/webhook",
        json={"next_action": "action_answer_documents", "tracker": {}},
        timeout=10,
    )
    assert refused.status_code == 403


def test_the_banner_gives_the_console_and_its_demo_agent(
    running: RunningScript,
) -> None:
    console = running.url("CONSOLE")
    assert f"{console}/" in running.banner
    match = re.search(r"(conseiller@demo\.invalid)\s+(\S+)", running.banner)
    assert match, running.banner
    session = requests.Session()
    login = session.post(
        f"{console}/api/login",
        json={"email": match[1], "password": match[2]},
        timeout=30,
    )
    assert login.status_code == 200 and login.json()["agent"]["role"] == "supervisor"
    assert session.get(f"{console}/api/tickets", timeout=10).status_code == 200


def test_stopping_the_script_stops_every_process(running: RunningScript) -> None:
    assert len(_pids_of_session(running.process.pid)) >= 5
    running.process.send_signal(signal.SIGINT)
    running.process.wait(timeout=60)
    deadline = time.monotonic() + 20
    while _pids_of_session(running.process.pid) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _pids_of_session(running.process.pid) == []
