"""Support agents, their console sessions, and the tickets they take over."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.ext.mutable import MutableDict
from sqlalchemy.orm import Mapped

from bot.tables.base import Base, UTCDateTime, utcnow


class Agent(Base):
    """A support agent (or supervisor) who logs in to the console."""

    __tablename__ = "agents"
    __table_args__ = (CheckConstraint("role IN ('agent', 'supervisor')", name="role"),)

    id: Mapped[int] = Column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = Column(String(254), nullable=False, unique=True)
    name: Mapped[str] = Column(String(100), nullable=False)
    role: Mapped[str] = Column(String(16), nullable=False, default="agent")
    # Argon2id hash (memory-hard), in its standard encoded form; never the password.
    password_hash: Mapped[str] = Column(String(255), nullable=False)
    active: Mapped[bool] = Column(Boolean, nullable=False, default=True)
    failed_logins: Mapped[int] = Column(Integer, nullable=False, default=0)
    locked_until: Mapped[datetime | None] = Column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = Column(UTCDateTime, nullable=False, default=utcnow)


class AgentSession(Base):
    """A logged-in console session: the cookie's and the CSRF token's hashes."""

    __tablename__ = "agent_sessions"

    id: Mapped[int] = Column(Integer, primary_key=True, autoincrement=True)
    agent_id: Mapped[int] = Column(
        Integer, ForeignKey("agents.id", ondelete="CASCADE"), nullable=False
    )
    # SHA-256 (hex) of the random cookie value and of the CSRF token.
    token_hash: Mapped[str] = Column(String(64), nullable=False, unique=True)
    csrf_hash: Mapped[str] = Column(String(64), nullable=False)
    created_at: Mapped[datetime] = Column(UTCDateTime, nullable=False, default=utcnow)
    last_seen_at: Mapped[datetime] = Column(UTCDateTime, nullable=False)


class Ticket(Base):
    """A conversation handed to the advisors, or a callback a customer booked."""

    __tablename__ = "tickets"
    __table_args__ = (
        CheckConstraint("kind IN ('chat', 'callback')", name="kind"),
        CheckConstraint("state IN ('waiting', 'claimed', 'closed')", name="state"),
        Index("ix_tickets_state_created", "state", "created_at"),
        Index("ix_tickets_conversation", "conversation_id", "state"),
    )

    id: Mapped[int] = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = Column(String(200), nullable=False)
    channel: Mapped[str] = Column(String(50), nullable=False)
    kind: Mapped[str] = Column(String(16), nullable=False, default="chat")
    reason: Mapped[str] = Column(String(50), nullable=False)
    state: Mapped[str] = Column(String(16), nullable=False, default="waiting")
    created_at: Mapped[datetime] = Column(UTCDateTime, nullable=False, default=utcnow)
    claimed_at: Mapped[datetime | None] = Column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = Column(UTCDateTime, nullable=True)
    agent_id: Mapped[int | None] = Column(
        Integer, ForeignKey("agents.id"), nullable=True
    )
    outcome: Mapped[str | None] = Column(String(200), nullable=True)
    # The number this conversation proved it holds (SMS code), for the agent's actions.
    verified_msisdn: Mapped[str | None] = Column(String(10), nullable=True)
    # What the agent reads first: wanted, verified (masked), porting, order, refusal.
    summary: Mapped[dict[str, Any]] = Column(
        MutableDict.as_mutable(JSON), nullable=False, default=dict
    )
    callback_number: Mapped[str | None] = Column(String(10), nullable=True)
    callback_from: Mapped[datetime | None] = Column(UTCDateTime, nullable=True)
    callback_until: Mapped[datetime | None] = Column(UTCDateTime, nullable=True)
    # Set once, when the customer was offered a callback because nobody claimed.
    callback_offered_at: Mapped[datetime | None] = Column(UTCDateTime, nullable=True)


class TicketMessage(Base):
    """A line of a ticket's transcript, or an agent's internal note."""

    __tablename__ = "ticket_messages"
    __table_args__ = (
        CheckConstraint(
            "author IN ('customer', 'assistant', 'agent', 'note')", name="author"
        ),
    )

    id: Mapped[int] = Column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = Column(
        Integer,
        ForeignKey("tickets.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    author: Mapped[str] = Column(String(16), nullable=False)
    agent_id: Mapped[int | None] = Column(
        Integer, ForeignKey("agents.id"), nullable=True
    )
    text: Mapped[str] = Column(Text, nullable=False)
    at: Mapped[datetime] = Column(UTCDateTime, nullable=False, default=utcnow)
    # For agent messages: False until the customer's channel accepted it.
    delivered: Mapped[bool | None] = Column(Boolean, nullable=True)
