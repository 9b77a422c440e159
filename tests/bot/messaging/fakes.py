"""Test doubles: senders that record, and local HTTP servers posing as providers."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from bot.messaging import SendError

TWILIO_SID = "AC" + "0" * 32
TWILIO_TOKEN = "test-auth-token"
GATEWAY_TOKEN = "test-gateway-token"


class RecordingSender:
    """Accepts every message and remembers it (thread-safe)."""

    def __init__(self, delay: float = 0.0) -> None:
        self.sent: list[tuple[str, str]] = []
        self._delay = delay
        self._lock = threading.Lock()

    def send(self, to: str, text: str) -> str:
        time.sleep(self._delay)
        with self._lock:
            self.sent.append((to, text))
            return f"fake-{len(self.sent)}"


class ScriptedSender:
    """Plays a script: each send raises the next error or returns the next id."""

    def __init__(self, script: Iterable[str | BaseException]) -> None:
        self._script = list(script)
        self.calls: list[tuple[str, str]] = []

    def send(self, to: str, text: str) -> str:
        self.calls.append((to, text))
        step = self._script.pop(0) if len(self._script) > 1 else self._script[0]
        if isinstance(step, BaseException):
            raise step
        return step


def retryable(message: str = "HTTP 503") -> SendError:
    """A SendError worth retrying."""
    return SendError(message, retryable=True)


@dataclass
class Request:
    """One request the fake server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def form(self) -> dict[str, str]:
        """The url-encoded form fields, one value each."""
        fields = parse_qs(self.body.decode(), keep_blank_values=True)
        return {name: values[0] for name, values in fields.items()}

    @property
    def json(self) -> object:
        """The JSON body."""
        return json.loads(self.body)

    @property
    def basic_auth(self) -> tuple[str, str] | None:
        """The user and password of a Basic Authorization header."""
        scheme, _, value = self.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return None
        user, _, password = base64.b64decode(value).decode().partition(":")
        return user, password


Answer = tuple[int, dict[str, object]]


@dataclass
class FakeServer:
    """An HTTP server on 127.0.0.1 that records requests and answers with JSON."""

    respond: Callable[[Request], Answer]
    requests: list[Request] = field(default_factory=list)
    delay: float = 0.0
    url: str = ""
    _server: ThreadingHTTPServer | None = None

    def start(self) -> FakeServer:
        """Serve in a background thread; `url` is the server's root."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    method="POST",
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length),
                )
                fake.requests.append(request)
                time.sleep(fake.delay)
                status, body = fake.respond(request)
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}"
        threading.Thread(
            target=self._server.serve_forever, args=(0.01,), daemon=True
        ).start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


@dataclass
class TwilioBehaviour:
    """Answers like Twilio's Messages API; `failure` forces an error answer."""

    sid: str = TWILIO_SID
    token: str = TWILIO_TOKEN
    failure: Answer | None = None
    created: int = 0

    def __call__(self, request: Request) -> Answer:
        if request.path != f"/2010-04-01/Accounts/{self.sid}/Messages.json":
            return 404, {"code": 20404, "message": "not found", "status": 404}
        if request.basic_auth != (self.sid, self.token):
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        if self.failure is not None:
            return self.failure
        self.created += 1
        form = request.form
        sid = f"SM{self.created:032x}"
        return 201, {
            "sid": sid,
            "account_sid": self.sid,
            "to": form["To"],
            "from": form["From"],
            "body": form["Body"],
            "status": "queued",
            "num_segments": "1",
            "direction": "outbound-api",
            "date_created": "Wed, 20 May 2026 09:00:00 +0000",
            "uri": f"/2010-04-01/Accounts/{self.sid}/Messages/{sid}.json",
        }


@dataclass
class GatewayBehaviour:
    """Answers like a JSON SMS gateway that checks its bearer token."""

    token: str = GATEWAY_TOKEN
    failure: Answer | None = None
    created: int = 0

    def __call__(self, request: Request) -> Answer:
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return 401, {"error": "bad token"}
        if self.failure is not None:
            return self.failure
        self.created += 1
        return 202, {"id": f"msg-{self.created}"}
