"""The real servers, the page server and headless Chromium for the widget tests.

The Rasa server is the e2e one (scripts/servers.py) with CORS for the page's origin;
its database is fresh (a new `e2e_env`), seeded with the default demo data.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from bot.config import DEFAULT_FIXTURE, PROJECT_ROOT, Settings
from bot.db import session_scope
from bot.models import OutboxMessage
from channels.socketio_shared import conversation_id_for
from scripts.servers import MODEL, Servers, free_port
from tests.e2e.conftest import e2e_env  # noqa: F401  (the servers' environment)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""
OPERATOR = "Auchan Télécom"
TIMEOUT_MS = 30_000  # one bot turn, custom actions and the widget's delay included


@dataclass
class CorsServers(Servers):
    """The e2e servers, the Rasa server accepting socket.io calls from the page.

    Its `--cors` is the one scripts/run.sh passes: its own origin and the page's.
    """

    web_origin: str = ""

    def _spawn(self, command: list[str], log: Path) -> None:
        if "--enable-api" in command:
            command = [*command, "--cors", self.rasa_url, self.web_origin]
        super()._spawn(command, log)


@pytest.fixture(scope="session")
def browser_env(e2e_env: dict[str, str]) -> dict[str, str]:  # noqa: F811
    """The e2e environment, with the operator's name the page shows."""
    return {
        **e2e_env,
        "BOT_OPERATOR_NAME": OPERATOR,
        "SUPPORT_HOURS": "always",
        "HANDOFF_CLAIM_TIMEOUT_MINUTES": "10",
    }


@pytest.fixture(scope="session")
def web_url() -> str:
    """Where the page is served (chosen first: the Rasa server's CORS needs it)."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture(scope="session")
def servers(browser_env: dict[str, str], web_url: str) -> Iterator[Servers]:
    """The action server and the Rasa server on a freshly seeded database."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` first")
    subprocess.run(
        [sys.executable, "-m", "bot", "seed", "--file", str(DEFAULT_FIXTURE)],
        cwd=PROJECT_ROOT,
        env=browser_env,
        check=True,
    )
    running = CorsServers(
        workdir=Path(browser_env["E2E_WORKDIR"]),
        env=browser_env,
        web_origin=web_url,
        with_console=True,
    )
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def web_server(servers: Servers, web_url: str) -> Iterator[str]:
    """scripts/serve_web.py serving web/ and pointing the page at the Rasa server."""
    log = servers.workdir / "logs" / "web.log"
    process = subprocess.Popen(
        [
            sys.executable,
            str(PROJECT_ROOT / "scripts" / "serve_web.py"),
            "--port",
            str(urlsplit(web_url).port),
        ],
        cwd=PROJECT_ROOT,
        env={**servers.env, "RASA_URL": servers.rasa_url},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    waited = subprocess.run(
        [
            sys.executable,
            str(PROJECT_ROOT / "scripts" / "wait_ready.py"),
            f"{web_url}/config.js",
            "--timeout",
            "30",
            "--pids",
            str(process.pid),
        ],
        check=False,
    )
    if waited.returncode != 0:
        process.kill()
        pytest.fail(f"scripts/serve_web.py did not start:\n{log.read_text()}")
    yield web_url
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright (no browser download)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: `apt-get update && apt-get install -y chromium`"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(
            "the Python package `playwright` is missing: `.venv/bin/pip install "
            "playwright` (it brings its driver; never run `playwright install`)"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@dataclass
class ChatPage:
    """The demo page in one browser context, and every request it made."""

    page: object
    url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self) -> None:
        """Load the page and open the chat."""
        self.page.goto(self.url)
        self.page.locator(".rw-launcher").click()
        self.page.locator(".rw-conversation-container").wait_for()

    def bot_says(self, text: str) -> object:
        """Wait until a bot message containing `text` is shown; return it."""
        message = self.page.locator(".rw-response", has_text=text).last
        message.wait_for(timeout=TIMEOUT_MS)
        return message

    def type(self, text: str) -> None:
        """Type a message and send it with Enter."""
        field = self.page.locator(".rw-new-message")
        field.fill(text)
        field.press("Enter")
        self.page.locator(".rw-client", has_text=text).last.wait_for()

    def click_reply(self, title: str) -> None:
        """Click the quick reply (button) with this title."""
        self.page.locator(".rw-reply", has_text=title).last.click()
        self.page.locator(".rw-client", has_text=title).last.wait_for()

    def session_id(self) -> str:
        """The widget's session id: the secret token it keeps."""
        return self.page.evaluate(
            "JSON.parse(localStorage.getItem('chat_session')).session_id"
        )

    def conversation_id(self, env: dict[str, str]) -> str:
        """The Rasa conversation of the widget's session (a keyed hash of it)."""
        return conversation_id_for(self.session_id(), env["BOT_SECRET_KEY"].encode())

    def count(self, selector: str) -> int:
        """How many elements match the selector now."""
        return self.page.locator(selector).count()

    def wait_for_more(self, selector: str, than: int) -> None:
        """Wait until more than `than` elements match the selector."""
        self.page.wait_for_function(
            "([selector, than]) => document.querySelectorAll(selector).length > than",
            arg=[selector, than],
        )

    def assert_clean(self, *, allow_csp_violations: bool = False) -> None:
        """No request left 127.0.0.1, no script error, no CSP violation."""
        assert [u for u in self.requests if urlsplit(u).hostname != "127.0.0.1"] == []
        assert self.errors == []
        if not allow_csp_violations:
            assert self.page.evaluate("window.__cspViolations") == []


@pytest.fixture
def chat_page(browser, web_server: str) -> Iterator[ChatPage]:
    """A fresh browser context (no history) on the demo page, desktop size."""
    yield from _chat_page(browser, web_server, viewport={"width": 1280, "height": 800})


@pytest.fixture
def phone_page(browser, web_server: str) -> Iterator[ChatPage]:
    """A fresh browser context on the demo page, the size of a phone."""
    yield from _chat_page(
        browser,
        web_server,
        viewport={"width": 375, "height": 667},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )


def _chat_page(browser, url: str, **options) -> Iterator[ChatPage]:
    context = browser.new_context(locale="fr-FR", **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(CSP_RECORDER)
    chat = ChatPage(page=context.new_page(), url=url)
    chat.page.on("request", lambda request: chat.requests.append(request.url))
    chat.page.on("websocket", lambda socket: chat.requests.append(socket.url))
    chat.page.on("pageerror", lambda error: chat.errors.append(str(error)))
    yield chat
    context.close()


def texts_to(env: dict[str, str], msisdn: str) -> list[str]:
    """Every text queued for this number in the outbox, oldest first."""
    with session_scope(Settings.from_env(env)) as session:
        return list(
            session.execute(
                select(OutboxMessage.text)
                .where(OutboxMessage.to == msisdn)
                .order_by(OutboxMessage.id)
            ).scalars()
        )


def sms_code(env: dict[str, str], msisdn: str) -> str:
    """The 6-digit code in the last text sent to this number."""
    (code,) = re.findall(r"\b\d{6}\b", texts_to(env, msisdn)[-1])
    return code
