"""Persistent records: holders, lines, users, orders, portings, outbox, audit, links."""

from bot.tables.base import (
    NAMING_CONVENTION,
    Base,
    Channel,
    DocumentKind,
    MessageStatus,
    OrderStatus,
    PortingSlot,
    PortingStatus,
    UTCDateTime,
    utcnow,
)
from bot.tables.customers import DeclaredUser, Holder, Line, Order, Porting
from bot.tables.records import (
    AuditEvent,
    ChannelMessage,
    OutboxMessage,
    ResetLink,
    VerificationCode,
)

__all__ = [
    "AuditEvent",
    "Base",
    "Channel",
    "ChannelMessage",
    "DeclaredUser",
    "DocumentKind",
    "Holder",
    "Line",
    "MessageStatus",
    "NAMING_CONVENTION",
    "Order",
    "OrderStatus",
    "OutboxMessage",
    "Porting",
    "PortingSlot",
    "PortingStatus",
    "ResetLink",
    "UTCDateTime",
    "VerificationCode",
    "utcnow",
]
