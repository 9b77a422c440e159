"""Channel memory in the database, shared by every Rasa server behind the webhooks.

A message id is unique per channel, so two servers given the same message accept it
once. Senders are kept as keyed hashes, never as phone numbers or account ids.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from bot.channels.buttons import Choice, choices_from
from bot.channels.memory import Incoming
from bot.config import Settings, get_settings
from bot.db import ensure_schema, session_scope
from bot.models import ChannelMessage, utcnow


class DatabaseMemory:
    """The ChannelMemory of the `channel_messages` table (settings read lazily)."""

    def __init__(self, settings: Settings | None = None) -> None:
        self._settings = settings

    def first_delivery(self, channel: str, incoming: Incoming) -> bool:
        """Record the message; False if its id was already received."""
        settings = self._ready()
        row = ChannelMessage(
            channel=channel,
            message_id=incoming.message_id,
            sender_key=self._sender_key(channel, incoming.sender),
            received_at=utcnow(),
            choices=[],
        )
        try:
            with session_scope(settings) as session:
                session.add(row)
        except IntegrityError:
            return False
        return True

    def forget(self, channel: str, incoming: Incoming) -> None:
        """Drop the record of a message not handled (see ChannelMemory.forget)."""
        statement = delete(ChannelMessage).where(
            ChannelMessage.channel == channel,
            ChannelMessage.message_id == incoming.message_id,
            ChannelMessage.answered_at.is_(None),
        )
        with session_scope(self._ready()) as session:
            session.execute(statement)

    def offered_choices(self, channel: str, sender: str) -> list[Choice]:
        """Return the numbered choices of the last answer to `sender`."""
        settings = self._ready()
        statement = (
            select(ChannelMessage.choices)
            .where(
                ChannelMessage.channel == channel,
                ChannelMessage.sender_key == self._sender_key(channel, sender),
                ChannelMessage.answered_at.is_not(None),
            )
            .order_by(ChannelMessage.id.desc())
            .limit(1)
        )
        with session_scope(settings) as session:
            stored = session.execute(statement).scalar_one_or_none()
        return choices_from(stored or [])

    def answered(
        self, channel: str, incoming: Incoming, choices: Sequence[Choice]
    ) -> None:
        """Record that `incoming` was answered, offering `choices` by number."""
        settings = self._ready()
        statement = (
            update(ChannelMessage)
            .where(
                ChannelMessage.channel == channel,
                ChannelMessage.message_id == incoming.message_id,
            )
            .values(
                answered_at=utcnow(), choices=[choice.to_dict() for choice in choices]
            )
        )
        with session_scope(settings) as session:
            session.execute(statement)

    def offered(self, channel: str, sender: str, choices: Sequence[Choice]) -> None:
        """Record choices offered by a message the assistant started (no incoming).

        It is stored like an answered message with an id of our own, so that the
        customer's "1" next means the first of these choices.
        """
        settings = self._ready()
        now = utcnow()
        row = ChannelMessage(
            channel=channel,
            message_id=f"outgoing:{uuid.uuid4().hex}",
            sender_key=self._sender_key(channel, sender),
            received_at=now,
            answered_at=now,
            choices=[choice.to_dict() for choice in choices],
        )
        with session_scope(settings) as session:
            session.add(row)

    def _ready(self) -> Settings:
        settings = self._settings or get_settings()
        ensure_schema(settings)
        return settings

    def _sender_key(self, channel: str, sender: str) -> str:
        secret = (self._settings or get_settings()).server_secret()
        message = f"{channel}\n{sender}".encode()
        return hmac.new(secret, message, hashlib.sha256).hexdigest()
