"""Holders, their lines, declared users, orders and portings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.ext.mutable import MutableList
from sqlalchemy.orm import Mapped, relationship, validates

from bot.tables.base import (
    Base,
    OrderStatus,
    PortingSlot,
    PortingStatus,
    UTCDateTime,
    _enum,
    utcnow,
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
