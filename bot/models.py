"""Persistent records: customers, orders, portings, outbox, audit, links, tickets."""

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
from bot.tables.handoff import Agent, AgentSession, Ticket, TicketMessage
from bot.tables.records import (
    AuditEvent,
    ChannelMessage,
    OutboxMessage,
    ResetLink,
    VerificationCode,
)

__all__ = [
    "Agent",
    "AgentSession",
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
    "Ticket",
    "TicketMessage",
    "UTCDateTime",
    "VerificationCode",
    "utcnow",
]
