"""What the connectors share: numbered choices, credentials, handing a message over."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.shared.exceptions import RasaException

from bot.channels.buttons import Choice
from bot.channels.memory import ChannelMemory, Incoming, accept

logger = logging.getLogger(__name__)
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class NumberingOutput(OutputChannel):
    """An output channel that keeps the choices it shows by number in this turn."""

    def __init__(self) -> None:
        self.offered: list[Choice] = []

    def number(self, choices: Sequence[Choice]) -> int:
        """Keep `choices` for number replies; return the number of the first."""
        start = len(self.offered) + 1
        self.offered.extend(choices)
        return start

    async def flush(self) -> None:
        """Send what the turn held back (nothing, unless a channel holds texts)."""


def required(
    channel: type[InputChannel], credentials: Mapping[str, Any] | None, *keys: str
) -> Mapping[str, Any]:
    """Return the credentials, or raise naming the keys that are missing or empty."""
    credentials = credentials or {}
    missing = [key for key in keys if not str(credentials.get(key) or "").strip()]
    if missing:
        raise RasaException(
            f"The {channel.name()} channel needs {', '.join(missing)} in its "
            f"credentials (see `python -m channels`)."
        )
    return credentials


def optional(credentials: Mapping[str, Any], key: str) -> str | None:
    """Return a credential as a stripped string, or None when absent or empty."""
    return str(credentials.get(key) or "").strip() or None


# The body of a webhook's 503: the provider sends the message again later.
RETRY_LATER = "not handled, retry later"


async def hand_over(
    on_new_message: OnNewMessage,
    memory: ChannelMemory,
    channel: str,
    incoming: Incoming,
    output: NumberingOutput,
) -> bool:
    """Give a message to the assistant unless it is a replay; log, never raise.

    Returns False when the assistant could not handle the message: its record is
    dropped, and the webhook answers 5xx so that the provider sends it again and
    the retry is handled, not ignored as a replay. Once the assistant has handled
    it, a failure to send the answer is logged and the message counts as handled
    (a retry would run the turn twice).
    """
    try:
        text = await asyncio.to_thread(accept, memory, channel, incoming)
        if text is None:
            logger.info("%s: %s received again, ignored", channel, incoming.message_id)
            return True
        await on_new_message(
            UserMessage(
                text,
                output,
                incoming.sender,
                input_channel=channel,
                message_id=incoming.message_id,
            )
        )
    except Exception:
        logger.exception("%s: %s could not be handled", channel, incoming.message_id)
        try:
            await asyncio.to_thread(memory.forget, channel, incoming)
        except Exception:
            logger.exception("%s: %s not forgotten", channel, incoming.message_id)
        return False
    try:
        await output.flush()
        await asyncio.to_thread(memory.answered, channel, incoming, output.offered)
    except Exception:
        logger.exception("%s: the answer to %s failed", channel, incoming.message_id)
    return True
