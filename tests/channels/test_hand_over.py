"""A channel message that fails while being handled is handled on the provider's
retry, not ignored as a replay (channels/base.py, hand_over)."""

from __future__ import annotations

from sqlalchemy import select

from bot.channels.memory import Incoming
from bot.channels.store import DatabaseMemory
from bot.config import Settings
from bot.db import session_scope
from bot.models import ChannelMessage
from channels.base import NumberingOutput, hand_over

INCOMING = Incoming(message_id="SM42", sender="+33612345678", text="bonjour")


class Output(NumberingOutput):
    """Collects nothing: the assistant under test answers nothing."""


def _rows(settings: Settings) -> list[ChannelMessage]:
    with session_scope(settings) as session:
        return list(session.execute(select(ChannelMessage)).scalars())


async def test_a_failed_message_is_handled_on_the_retry(database_url):
    settings = Settings(database_url=database_url, secret_key="test-secret")
    memory = DatabaseMemory(settings)
    handled: list[str] = []

    async def failing(message) -> None:
        raise RuntimeError("lock not acquired")

    async def working(message) -> None:
        handled.append(message.text)

    first = await hand_over(failing, memory, "twilio_signed", INCOMING, Output())
    assert first is False
    assert _rows(settings) == []  # forgotten: the retry is no replay
    assert await hand_over(working, memory, "twilio_signed", INCOMING, Output())
    assert handled == ["bonjour"]
    # Handled once: a third delivery is a replay.
    assert await hand_over(working, memory, "twilio_signed", INCOMING, Output())
    assert handled == ["bonjour"]
    (row,) = _rows(settings)
    assert row.answered_at is not None


async def test_an_answer_that_fails_to_go_out_still_counts_as_handled(database_url):
    settings = Settings(database_url=database_url, secret_key="test-secret")
    memory = DatabaseMemory(settings)
    turns: list[str] = []

    class Broken(NumberingOutput):
        async def flush(self) -> None:
            raise ConnectionError("provider down")

    async def assistant(message) -> None:
        turns.append(message.text)

    assert await hand_over(assistant, memory, "telegram_secret", INCOMING, Broken())
    # The turn ran; running it again on a retry would do it twice.
    assert await hand_over(assistant, memory, "telegram_secret", INCOMING, Output())
    assert turns == ["bonjour"]
