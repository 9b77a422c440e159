"""An agent using the console's JSON API, as the console page does."""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

import requests

from bot.config import PROJECT_ROOT
from scripts.servers import Servers


def add_agent(
    env: dict[str, str], email: str, name: str, password: str, role: str = "agent"
) -> None:
    """Create an account with the documented command (password on stdin)."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "agents",
            "add",
            email,
            "--name",
            name,
            "--role",
            role,
        ],
        input=f"{password}\n",
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


class AgentConsole:
    """One logged-in agent: a cookie jar and the CSRF token from the login."""

    def __init__(self, servers: Servers) -> None:
        self.base = servers.console_url
        self.http = requests.Session()
        self.csrf = ""

    def login(self, email: str, password: str) -> requests.Response:
        """POST /api/login; keep the CSRF token on success."""
        answer = self.http.post(
            f"{self.base}/api/login", json={"email": email, "password": password}
        )
        if answer.ok:
            self.csrf = answer.json()["csrf_token"]
        return answer

    def get(self, path: str) -> requests.Response:
        """GET an API path."""
        return self.http.get(f"{self.base}{path}", timeout=30)

    def post(self, path: str, body: Any = None) -> requests.Response:
        """POST an API path with the CSRF header."""
        return self.http.post(
            f"{self.base}{path}",
            json=body,
            headers={"X-CSRF-Token": self.csrf},
            timeout=30,
        )

    def ticket_of(self, conversation_id: str, state: str = "waiting") -> dict:
        """The ticket of a conversation in a list (fails if absent)."""
        tickets = self.get(f"/api/tickets?state={state}").json()
        (ticket,) = (t for t in tickets if t["conversation_id"] == conversation_id)
        return ticket

    def wait_for_line(self, ticket_id: int, text: str, seconds: float = 2.0) -> dict:
        """The ticket once `text` is in its transcript; fails after `seconds`."""
        deadline = time.monotonic() + seconds
        while True:
            detail = self.get(f"/api/tickets/{ticket_id}").json()
            if any(line["text"] == text for line in detail["transcript"]):
                return detail
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{text!r} not in the transcript after {seconds} s"
                )
            time.sleep(0.1)
