"""Declarative base, column types and the enumerations stored in the tables."""

from __future__ import annotations

import enum
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    DateTime,
    Enum,
    MetaData,
    TypeDecorator,
)
from sqlalchemy.orm import declarative_base

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
    # A message, private note, label or status change in a Chatwoot conversation.
    CHATWOOT = "chatwoot"


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
