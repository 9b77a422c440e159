"""The action server: rasa_sdk's app with a shared token and Prometheus metrics.

`python -m actions.server --port 5055` replaces `rasa run actions`:
- `/webhook` runs an action (and `/actions` lists them) only when the request carries
  `X-Action-Token` equal to `ACTION_SERVER_TOKEN` (Rasa sends it from
  `endpoints.yml`); anything else gets 403.
  The server refuses to start without a token.
- `/metrics`: actions run and their latency, the outbox depth, the advisors' queue.
- `/health` stays open for readiness checks.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os
import sys
import time

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request

from bot.config import ConfigError, get_settings
from bot.logs import configure as configure_logs
from bot.logs import set_conversation
from bot.metrics import ACTION_SECONDS, ACTIONS, register_database_figures

TOKEN_HEADER = "X-Action-Token"
GUARDED = ("/webhook", "/actions")  # running actions, and the list of them
logger = logging.getLogger(__name__)


def _action_name(request: Request) -> str:
    try:
        return str((request.json or {}).get("next_action") or "unknown")
    except Exception:  # a body that is not JSON: rasa_sdk answers 400 itself
        return "unknown"


def _sender_id(request: Request) -> str | None:
    try:
        return str((request.json or {}).get("sender_id") or "") or None
    except Exception:
        return None


def create_action_app(token: str) -> Sanic:
    """The rasa_sdk app for the `actions` package, guarded by `token`."""
    if not token:
        raise ValueError("ACTION_SERVER_TOKEN is empty")
    app = create_app("actions", cors_origins=None)
    expected = token.encode()

    @app.middleware("request")
    async def check_token(request: Request) -> response.HTTPResponse | None:
        if request.path not in GUARDED:
            return None
        given = (request.headers.get(TOKEN_HEADER) or "").encode()
        if not hmac.compare_digest(given, expected):
            # Never a label from an unknown caller's body (unbounded label values).
            ACTIONS.labels(action="-", outcome="unauthorized").inc()
            return response.json({"error": "forbidden"}, status=403)
        request.ctx.started = time.perf_counter()
        if request.path == "/webhook":
            set_conversation(_sender_id(request))
        return None

    @app.middleware("response")
    async def measure(request: Request, reply: response.HTTPResponse) -> None:
        started = getattr(request.ctx, "started", None)
        if request.path != "/webhook" or started is None:
            return
        action = _action_name(request)
        seconds = time.perf_counter() - started
        ACTION_SECONDS.labels(action=action).observe(seconds)
        outcome = "ok" if reply.status < 400 else "error"
        ACTIONS.labels(action=action, outcome=outcome).inc()
        # One line per action, tagged with its conversation (bot/logs.py).
        logger.info("%s %s in %.0f ms", action, outcome, seconds * 1000)

    async def metrics(_: Request) -> response.HTTPResponse:
        return response.raw(generate_latest(), content_type=CONTENT_TYPE_LATEST)

    app.add_route(metrics, "/metrics", methods=["GET"])
    return app


def main(argv: list[str] | None = None) -> int:
    """Serve the actions on loopback (or SANIC_HOST) at `--port`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=5055)
    args = parser.parse_args(argv)
    token = os.environ.get("ACTION_SERVER_TOKEN", "")
    if not token:
        print(
            "error: ACTION_SERVER_TOKEN is not set (Rasa sends it to the action "
            "server; `make run` generates one in var/action_server_token)",
            file=sys.stderr,
        )
        return 2
    try:
        configure_logs("actions")
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    register_database_figures(get_settings())
    app = create_action_app(token)
    host = os.environ.get("SANIC_HOST", "127.0.0.1")
    logger.info("Action server on http://%s:%s", host, args.port)
    app.run(host, args.port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
