"""Outbox, audit trail, verification codes, reset links and channel messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.ext.mutable import MutableDict
from sqlalchemy.orm import Mapped

from bot.tables.base import (
    Base,
    Channel,
    MessageStatus,
    UTCDateTime,
    _enum,
    utcnow,
)


class OutboxMessage(Base):
    """An SMS or e-mail waiting to be sent (or already sent, or failed)."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    id: Mapped[int] = Column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[Channel] = Column(_enum(Channel, "channel"), nullable=False)
    to: Mapped[str] = Column(String(254), nullable=False)
    text: Mapped[str] = Column(Text, nullable=False)
    status: Mapped[MessageStatus] = Column(
        _enum(MessageStatus, "message_status"),
        nullable=False,
        default=MessageStatus.PENDING,
    )
    attempts: Mapped[int] = Column(Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = Column(UTCDateTime, nullable=False, default=utcnow)
    sent_at: Mapped[datetime | None] = Column(UTCDateTime, nullable=True)
    next_attempt_at: Mapped[datetime | None] = Column(UTCDateTime, nullable=True)
    last_error: Mapped[str | None] = Column(Text, nullable=True)
    idempotency_key: Mapped[str | None] = Column(
        String(200), nullable=True, unique=True
    )


class AuditEvent(Base):
    """Something an actor did to a subject, kept for the record."""

    __tablename__ = "audit_events"

    id: Mapped[int] = Column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = Column(
        UTCDateTime, nullable=False, default=utcnow, index=True
    )
    actor: Mapped[str] = Column(String(100), nullable=False)
    action: Mapped[str] = Column(String(100), nullable=False)
    subject: Mapped[str] = Column(String(200), nullable=False, index=True)
    channel: Mapped[str] = Column(String(50), nullable=False)
    details: Mapped[dict[str, Any]] = Column(
        MutableDict.as_mutable(JSON), nullable=False, default=dict
    )


class VerificationCode(Base):
    """A one-time code sent by SMS to prove a conversation holds a phone number."""

    __tablename__ = "verification_codes"

    id: Mapped[int] = Column(Integer, primary_key=True, autoincrement=True)
    msisdn: Mapped[str] = Column(String(10), nullable=False, index=True)
    conversation_id: Mapped[str] = Column(String(200), nullable=False)
    # HMAC-SHA256 (hex) of the code, keyed with the server secret; never the code.
    code_hash: Mapped[str] = Column(String(64), nullable=False)
    created_at: Mapped[datetime] = Column(UTCDateTime, nullable=False, default=utcnow)
    expires_at: Mapped[datetime] = Column(UTCDateTime, nullable=False)
    attempts: Mapped[int] = Column(Integer, nullable=False, default=0)
    consumed_at: Mapped[datetime | None] = Column(UTCDateTime, nullable=True)
    # When a consumed code last proved the conversation verified: the verification
    # lapses after VERIFICATION_IDLE without use (bot/verification_lifetime.py).
    last_used_at: Mapped[datetime | None] = Column(UTCDateTime, nullable=True)


class ResetLink(Base):
    """A single-use link that lets a holder or a declared user choose a password."""

    __tablename__ = "reset_links"
    __table_args__ = (
        CheckConstraint("subject_kind IN ('holder', 'user')", name="subject_kind"),
        Index("ix_reset_links_subject", "subject_kind", "subject_id"),
    )

    id: Mapped[int] = Column(Integer, primary_key=True, autoincrement=True)
    # SHA-256 (hex) of the token sent in the link; never the token itself.
    token_hash: Mapped[str] = Column(String(64), nullable=False, unique=True)
    # "holder" (subject_id: the holder's id) or "user" (subject_id: the line's msisdn).
    subject_kind: Mapped[str] = Column(String(16), nullable=False)
    subject_id: Mapped[str] = Column(String(32), nullable=False)
    created_at: Mapped[datetime] = Column(UTCDateTime, nullable=False, default=utcnow)
    expires_at: Mapped[datetime] = Column(UTCDateTime, nullable=False)
    used_at: Mapped[datetime | None] = Column(UTCDateTime, nullable=True)


class ChannelMessage(Base):
    """A message received on a messaging channel, accepted once, then answered."""

    __tablename__ = "channel_messages"
    __table_args__ = (
        UniqueConstraint(
            "channel", "message_id", name="uq_channel_messages_channel_message_id"
        ),
        Index("ix_channel_messages_sender", "channel", "sender_key"),
    )

    id: Mapped[int] = Column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = Column(String(32), nullable=False)
    # The provider's id: Twilio MessageSid, Telegram update_id, Messenger mid.
    message_id: Mapped[str] = Column(String(255), nullable=False)
    # HMAC-SHA256 (hex) of the channel and sender, keyed with the server secret;
    # never the phone number or account id itself.
    sender_key: Mapped[str] = Column(String(64), nullable=False)
    received_at: Mapped[datetime] = Column(UTCDateTime, nullable=False, default=utcnow)
    answered_at: Mapped[datetime | None] = Column(UTCDateTime, nullable=True)
    # The choices the answer offered by number: [{"title": ..., "payload": ...}].
    choices: Mapped[list[dict[str, str]]] = Column(JSON, nullable=False, default=list)
