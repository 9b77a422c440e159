"""Persistent records: holders, lines, users, orders, portings, outbox, audit, links."""

from __future__ import annotations

import enum
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.ext.mutable import MutableDict, MutableList
from sqlalchemy.orm import Mapped, declarative_base, relationship, validates

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Base = declarative_base(metadata=MetaData(naming_convention=NAMING_CONVENTION))


def utcnow() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: give a timezone-aware value")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Any) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class OrderStatus(str, enum.Enum):
    """Where an order stands."""

    RECEIVED = "received"
    AWAITING_DOCUMENTS = "awaiting_documents"
    DOCUMENTS_UNDER_REVIEW = "documents_under_review"
    VALIDATED = "validated"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class DocumentKind(str, enum.Enum):
    """An identity document an order may still need."""

    IDENTITY_FRONT = "identity_front"
    IDENTITY_BACK = "identity_back"


class PortingSlot(str, enum.Enum):
    """Half-day in which a porting happens."""

    MORNING = "morning"
    AFTERNOON = "afternoon"


class PortingStatus(str, enum.Enum):
    """Where a porting stands."""

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class Channel(str, enum.Enum):
    """How a message reaches the customer."""

    SMS = "sms"
    EMAIL = "email"


class MessageStatus(str, enum.Enum):
    """Delivery state of an outbox message."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


def _enum(enum_class: type[enum.Enum], name: str) -> Enum:
    """Store an enum as its string values (VARCHAR + CHECK, same on every database)."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Holder(Base):
    """A titulaire: the customer who holds the contract."""

    __tablename__ = "holders"

    id: Mapped[str] = Column(String(16), primary_key=True)
    first_name: Mapped[str] = Column(String(100), nullable=False)
    last_name: Mapped[str] = Column(String(100), nullable=False)
    email: Mapped[str] = Column(String(254), nullable=False, unique=True)
    password_set: Mapped[bool] = Column(Boolean, nullable=False, default=False)

    lines: Mapped[list[Line]] = relationship(
        "Line", back_populates="holder", order_by="Line.msisdn"
    )
    orders: Mapped[list[Order]] = relationship(
        "Order", back_populates="holder", order_by="Order.id"
    )

    @validates("email")
    def _lower_email(self, key: str, value: str) -> str:
        return value.strip().lower()


class Line(Base):
    """A mobile line (10-digit national number) held by a holder."""

    __tablename__ = "lines"

    msisdn: Mapped[str] = Column(String(10), primary_key=True)
    holder_id: Mapped[str] = Column(
        String(16), ForeignKey("holders.id"), nullable=False, index=True
    )
    activated: Mapped[bool] = Column(Boolean, nullable=False, default=False)

    holder: Mapped[Holder] = relationship("Holder", back_populates="lines")
    user: Mapped[DeclaredUser | None] = relationship(
        "DeclaredUser",
        back_populates="line",
        uselist=False,
        cascade="all, delete-orphan",
    )


class DeclaredUser(Base):
    """The person declared as using a line (at most one per line)."""

    __tablename__ = "declared_users"

    msisdn: Mapped[str] = Column(
        String(10), ForeignKey("lines.msisdn"), primary_key=True
    )
    first_name: Mapped[str] = Column(String(100), nullable=False)
    last_name: Mapped[str] = Column(String(100), nullable=False)
    password_set: Mapped[bool] = Column(Boolean, nullable=False, default=False)

    line: Mapped[Line] = relationship("Line", back_populates="user")


class Order(Base):
    """A subscription order (e.g. CMD-2026-004512) for one of the holder's lines."""

    __tablename__ = "orders"

    id: Mapped[str] = Column(String(32), primary_key=True)
    holder_id: Mapped[str] = Column(
        String(16), ForeignKey("holders.id"), nullable=False, index=True
    )
    msisdn: Mapped[str] = Column(
        String(10), ForeignKey("lines.msisdn"), nullable=False, index=True
    )
    subscribed_on: Mapped[date] = Column(Date, nullable=False)
    status: Mapped[OrderStatus] = Column(
        _enum(OrderStatus, "order_status"), nullable=False
    )
    # List of DocumentKind values, e.g. ["identity_back"].
    documents_missing: Mapped[list[str]] = Column(
        MutableList.as_mutable(JSON), nullable=False, default=list
    )

    holder: Mapped[Holder] = relationship("Holder", back_populates="orders")
    line: Mapped[Line] = relationship("Line")
    porting: Mapped[Porting | None] = relationship(
        "Porting", back_populates="order", uselist=False, cascade="all, delete-orphan"
    )


class Porting(Base):
    """The number porting attached to an order (at most one per order)."""

    __tablename__ = "portings"

    id: Mapped[int] = Column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = Column(
        String(32), ForeignKey("orders.id"), nullable=False, unique=True
    )
    msisdn: Mapped[str] = Column(String(10), nullable=False, index=True)
    rio: Mapped[str] = Column(String(12), nullable=False)
    scheduled_on: Mapped[date] = Column(Date, nullable=False)
    slot: Mapped[PortingSlot] = Column(
        _enum(PortingSlot, "porting_slot"), nullable=False
    )
    status: Mapped[PortingStatus] = Column(
        _enum(PortingStatus, "porting_status"), nullable=False
    )
    updated_at: Mapped[datetime] = Column(
        UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow
    )

    order: Mapped[Order] = relationship("Order", back_populates="porting")


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
