"""What a channel remembers between two messages of a customer.

Providers deliver a message again when they think we missed it (Twilio and Meta
retry; so does Telegram): each message id is accepted once. And a channel that shows
buttons as a numbered list remembers the list, so that a reply "2" means the second.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.channels.buttons import Choice, chosen_payload


@dataclass(frozen=True)
class Incoming:
    """A customer's message: the provider's id for it, who sent it, and its text."""

    message_id: str
    sender: str
    text: str


class ChannelMemory(Protocol):
    """Message ids already received and the choices last offered, per channel."""

    def first_delivery(self, channel: str, incoming: Incoming) -> bool:
        """Record the message; False if its id was already received."""
        ...

    def forget(self, channel: str, incoming: Incoming) -> None:
        """Drop the record of a message that could not be handled, so that the
        provider's retry of it is handled instead of ignored as a replay."""
        ...

    def offered_choices(self, channel: str, sender: str) -> list[Choice]:
        """Return the numbered choices of the last answer to `sender`."""
        ...

    def answered(
        self, channel: str, incoming: Incoming, choices: Sequence[Choice]
    ) -> None:
        """Record that `incoming` was answered, offering `choices` by number."""
        ...

    def offered(self, channel: str, sender: str, choices: Sequence[Choice]) -> None:
        """Record choices offered by a message the assistant started (no incoming)."""
        ...


def accept(memory: ChannelMemory, channel: str, incoming: Incoming) -> str | None:
    """Return the text for the assistant, or None when the message is a replay.

    A reply that is just the number of a choice last offered becomes its payload.
    """
    if not memory.first_delivery(channel, incoming):
        return None
    choices = memory.offered_choices(channel, incoming.sender)
    return chosen_payload(incoming.text, choices) or incoming.text
