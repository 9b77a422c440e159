"""`python -m console [--host 127.0.0.1] [--port 8081]`: serve the agent console."""

from __future__ import annotations

import argparse
import os
import sys

from aiohttp import web

from bot.config import ConfigError
from bot.handoff.gateway import DeliveryError
from bot.logs import configure as configure_logs
from console.app import create_app


def main(argv: list[str] | None = None) -> int:
    """Serve the console until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m console", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("CONSOLE_PORT") or 8081)
    )
    args = parser.parse_args(argv)
    try:
        configure_logs("console")
        app = create_app()
    except (ConfigError, DeliveryError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    web.run_app(app, host=args.host, port=args.port, print=None, access_log=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
