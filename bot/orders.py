"""Read a customer's orders: status, missing documents, and the response that says it.

Lookups take the caller's session and return frozen views, never ORM rows. The
French texts live in domain.yml; this module names the response for each status and
writes the missing documents in French for its `{documents}` variable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from bot.models import DocumentKind, Holder, Order, OrderStatus
from bot.normalize import normalize_order_id, normalize_phone_number

STATUS_RESPONSES: dict[OrderStatus, str] = {
    OrderStatus.RECEIVED: "utter_order_status_received",
    OrderStatus.AWAITING_DOCUMENTS: "utter_order_status_awaiting_documents",
    OrderStatus.DOCUMENTS_UNDER_REVIEW: "utter_order_status_documents_under_review",
    OrderStatus.VALIDATED: "utter_order_status_validated",
    OrderStatus.SHIPPED: "utter_order_status_shipped",
    OrderStatus.DELIVERED: "utter_order_status_delivered",
    OrderStatus.COMPLETED: "utter_order_status_completed",
    OrderStatus.CANCELLED: "utter_order_status_cancelled",
}

# The status in a few French words, for agents (summaries and the console).
STATUS_WORDS: dict[OrderStatus, str] = {
    OrderStatus.RECEIVED: "reçue, en cours de traitement",
    OrderStatus.AWAITING_DOCUMENTS: "en attente de pièces justificatives",
    OrderStatus.DOCUMENTS_UNDER_REVIEW: "pièces en cours de vérification",
    OrderStatus.VALIDATED: "validée",
    OrderStatus.SHIPPED: "expédiée",
    OrderStatus.DELIVERED: "livrée",
    OrderStatus.COMPLETED: "terminée",
    OrderStatus.CANCELLED: "annulée",
}

DOCUMENT_WORDS: dict[DocumentKind, str] = {
    DocumentKind.IDENTITY_FRONT: "le recto de votre pièce d'identité",
    DocumentKind.IDENTITY_BACK: "le verso de votre pièce d'identité",
}


@dataclass(frozen=True)
class OrderView:
    """What the assistant may tell a verified customer about an order."""

    order_id: str
    msisdn: str
    subscribed_on: date
    status: OrderStatus
    documents_missing: tuple[DocumentKind, ...]
    holder_email: str


def _view(order: Order, holder_email: str) -> OrderView:
    missing = {DocumentKind(kind) for kind in order.documents_missing or ()}
    return OrderView(
        order_id=order.id,
        msisdn=order.msisdn,
        subscribed_on=order.subscribed_on,
        status=OrderStatus(order.status),
        documents_missing=tuple(kind for kind in DocumentKind if kind in missing),
        holder_email=holder_email,
    )


def _with_holder_email() -> Select:
    return select(Order, Holder.email).join(Holder, Order.holder_id == Holder.id)


def find_order(session: Session, order_id: str) -> OrderView | None:
    """Return the order with this number, typed in any case or format, or None."""
    canonical = normalize_order_id(order_id or "")
    if canonical is None:
        return None
    row = session.execute(_with_holder_email().where(Order.id == canonical)).first()
    return _view(*row) if row else None


def orders_of_line(session: Session, msisdn: str) -> list[OrderView]:
    """Return the orders of this line, newest first."""
    number = normalize_phone_number(msisdn or "")
    if number is None:
        return []
    statement = (
        _with_holder_email()
        .where(Order.msisdn == number)
        .order_by(Order.subscribed_on.desc(), Order.id.desc())
    )
    return [_view(*row) for row in session.execute(statement)]


def latest_order(session: Session, msisdn: str) -> OrderView | None:
    """Return the newest order of this line, or None."""
    found = orders_of_line(session, msisdn)
    return found[0] if found else None


def missing_documents_words(view: OrderView) -> str:
    """Name the missing documents in French, joined with " et "; "" when none."""
    return " et ".join(DOCUMENT_WORDS[kind] for kind in view.documents_missing)
