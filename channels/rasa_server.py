"""`python -m channels.rasa_server run ...`: Rasa's command line, with our logs.

Rasa installs coloredlogs on the root logger after reading any logging
configuration, replacing its handler; this entry point has it install ours
instead (bot/logs.py: LOG_FORMAT, personal data masked). Every argument is
Rasa's own.
"""

from __future__ import annotations

import logging

import rasa.utils.io
from rasa.__main__ import main as rasa_main

from bot import logs


def _configure_logging(loglevel: str | int | None) -> None:
    level = logging.getLevelName(loglevel) if isinstance(loglevel, str) else loglevel
    logs.configure("rasa", level if isinstance(level, int) else logging.INFO)


def main() -> None:
    """Run Rasa's command line with the assistant's log format."""
    rasa.utils.io.configure_colored_logging = _configure_logging
    rasa_main()


if __name__ == "__main__":
    main()
