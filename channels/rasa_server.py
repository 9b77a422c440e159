"""`python -m channels.rasa_server run ...`: Rasa's command line, with our logs
and our guard on custom actions. Every argument is Rasa's own.

- Logs: Rasa installs coloredlogs on the root logger after reading any logging
  configuration, replacing its handler; here it installs ours instead
  (bot/logs.py: LOG_FORMAT, personal data masked).
- Actions: a failed or too slow action call is told to the customer in French,
  and gives up before the conversation lock expires (channels/action_guard.py);
  their answers are checked with a schema validator built once
  (channels/action_response.py).
- Speed: messages are understood on a worker thread (channels/nlu_worker.py) and
  event classes are looked up once (channels/event_types.py).
"""

from __future__ import annotations

import logging

import rasa.utils.io
from rasa.__main__ import main as rasa_main

from bot import logs
from bot.config import ConfigError
from channels import action_guard, action_response, event_types, nlu_worker


def _configure_logging(loglevel: str | int | None) -> None:
    level = logging.getLevelName(loglevel) if isinstance(loglevel, str) else loglevel
    logs.configure("rasa", level if isinstance(level, int) else logging.INFO)


def main() -> None:
    """Run Rasa's command line with the assistant's log format."""
    rasa.utils.io.configure_colored_logging = _configure_logging
    action_response.install()
    event_types.install()
    nlu_worker.install()
    try:
        action_guard.install()
    except ConfigError as error:
        raise SystemExit(f"error: {error}") from None
    rasa_main()


if __name__ == "__main__":
    main()
