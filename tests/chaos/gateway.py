"""A fake SMS gateway for the fault scenarios: up, down (503), slow, refusing our
token (401) or holding its answer, and honouring idempotency keys like a real
gateway: a message sent again with the same key is delivered once."""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bot.normalize import normalize_phone_number

TOKEN = "chaos-gateway-token"
CODE_RE = re.compile(r"\b\d{6}\b")


@dataclass
class Delivery:
    """One SMS that reached the customer's phone."""

    to: str  # national number, as the outbox stores it
    text: str
    key: str | None


class FakeGateway:
    """The gateway and the phones behind it."""

    def __init__(self) -> None:
        self.mode = "up"  # up | down | slow | unauthorized | hold
        self.slow_seconds = 15.0
        self.delivered: list[Delivery] = []
        self.requests: list[str | None] = []  # the key of every request
        self.held = threading.Event()  # set when a request waits in "hold"
        self._release = threading.Event()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/sms"

    def release(self) -> None:
        """Let a held request finish (its connection is long gone by then)."""
        self._release.set()

    def stop(self) -> None:
        self._release.set()
        self._server.shutdown()

    def texts_to(self, msisdn: str) -> list[str]:
        with self._lock:
            return [d.text for d in self.delivered if d.to == msisdn]

    def new_code(self, msisdn: str, seen: int, timeout: float = 30) -> str:
        """The code of the first SMS to `msisdn` after the `seen` first ones."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for text in self.texts_to(msisdn)[seen:]:
                found = CODE_RE.findall(text)
                if found:
                    return found[-1]
            time.sleep(0.1)
        raise AssertionError(f"no code reached {msisdn} within {timeout} s")

    def requests_with(self, key: str) -> int:
        with self._lock:
            return self.requests.count(key)

    def deliveries_with(self, key: str) -> int:
        with self._lock:
            return sum(d.key == key for d in self.delivered)

    def _receive(self, body: dict, key: str | None) -> int:
        with self._lock:
            self.requests.append(key)
            mode = self.mode
        if mode == "down":
            return 503
        if mode == "unauthorized":
            return 401
        if mode == "slow":
            time.sleep(self.slow_seconds)
        with self._lock:
            known = key is not None and any(d.key == key for d in self.delivered)
            if not known:
                to = normalize_phone_number(str(body.get("to"))) or str(body.get("to"))
                self.delivered.append(Delivery(to, str(body.get("text")), key))
        if mode == "hold":
            self.held.set()
            self._release.wait(120)
        return 200

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    status = 401
                else:
                    length = int(self.headers.get("Content-Length") or 0)
                    body = json.loads(self.rfile.read(length) or b"{}")
                    status = gateway._receive(body, self.headers.get("Idempotency-Key"))
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(json.dumps({"id": "gw-1"}).encode())
                except OSError:
                    pass  # the dispatcher is gone (killed, or gave up waiting)

            def log_message(self, *_: object) -> None:
                pass

        return Handler
