"""Reading orders from the demo data: lookups, missing documents, responses."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, replace
from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from bot.config import DEFAULT_FIXTURE
from bot.models import DocumentKind, Order, OrderStatus
from bot.orders import (
    STATUS_RESPONSES,
    OrderView,
    find_order,
    latest_order,
    missing_documents_words,
    orders_of_line,
)
from bot.seed import load_fixture, seed

TODAY = date(2026, 11, 26)
BACK = (DocumentKind.IDENTITY_BACK,)

# order id, line, days since subscription, status, missing documents, holder e-mail
DEMO_ORDERS = [
    ("CMD-2026-004512", "0612345678", 10, OrderStatus.SHIPPED, (), "marie.dupont"),
    ("CMD-2026-004587", "0623456789", 20, OrderStatus.DELIVERED, (), "karim.benali"),
    (
        "CMD-2026-004633",
        "0745678901",
        3,
        OrderStatus.AWAITING_DOCUMENTS,
        BACK,
        "sophie.martin",
    ),
    ("CMD-2026-003901", "0656789012", 40, OrderStatus.COMPLETED, (), "jean.petit"),
    ("CMD-2026-003350", "0767890123", 30, OrderStatus.COMPLETED, (), "chloe.leroy"),
    (
        "CMD-2026-004702",
        "0634567890",
        1,
        OrderStatus.DOCUMENTS_UNDER_REVIEW,
        (),
        "thomas.moreau",
    ),
]
EXPECTED = {
    order_id: OrderView(
        order_id=order_id,
        msisdn=msisdn,
        subscribed_on=TODAY - timedelta(days=days),
        status=status,
        documents_missing=missing,
        holder_email=f"{name}@example.fr",
    )
    for order_id, msisdn, days, status, missing, name in DEMO_ORDERS
}


def typed_forms(order_id: str) -> list[str]:
    """The ways a customer may type an order number."""
    _, year, number = order_id.split("-")
    return [
        order_id,
        order_id.lower(),
        f"  Cmd {year} {number} ",
        f"cmd_{year}_{number}",
        f"CMD{year}{number}",
    ]


@pytest.fixture
def demo(db_session: Session) -> Session:
    seed(db_session, load_fixture(DEFAULT_FIXTURE), TODAY)
    db_session.commit()
    return db_session


@pytest.mark.parametrize(
    ("typed", "order_id"),
    [(typed, order_id) for order_id in EXPECTED for typed in typed_forms(order_id)],
)
def test_each_demo_order_is_found_by_its_number_typed_any_way(
    demo: Session, typed: str, order_id: str
) -> None:
    assert find_order(demo, typed) == EXPECTED[order_id]


@pytest.mark.parametrize("typed", ["CMD-2026-999999", "CMD-2026-4512", "bonjour", ""])
def test_an_unknown_or_malformed_order_number_finds_nothing(
    demo: Session, typed: str
) -> None:
    assert find_order(demo, typed) is None


@pytest.mark.parametrize("order_id", list(EXPECTED))
def test_each_demo_line_has_its_one_order_as_latest(
    demo: Session, order_id: str
) -> None:
    view = EXPECTED[order_id]
    assert orders_of_line(demo, view.msisdn) == [view]
    assert latest_order(demo, view.msisdn) == view


def test_a_line_typed_in_international_format_finds_its_orders(demo: Session) -> None:
    assert latest_order(demo, "+33 6 12 34 56 78") == EXPECTED["CMD-2026-004512"]


@pytest.mark.parametrize("msisdn", ["0699999999", "not a number", ""])
def test_a_line_without_orders_has_none(demo: Session, msisdn: str) -> None:
    assert orders_of_line(demo, msisdn) == []
    assert latest_order(demo, msisdn) is None


def test_the_orders_of_a_line_come_newest_first(demo: Session) -> None:
    demo.add(
        Order(
            id="CMD-2026-005001",
            holder_id="C1001",
            msisdn="0612345678",
            subscribed_on=TODAY - timedelta(days=2),
            status=OrderStatus.RECEIVED,
            documents_missing=["identity_back", "identity_front"],
        )
    )
    demo.flush()
    found = [view.order_id for view in orders_of_line(demo, "0612345678")]
    assert found == ["CMD-2026-005001", "CMD-2026-004512"]
    newest = latest_order(demo, "0612345678")
    assert newest.documents_missing == (
        DocumentKind.IDENTITY_FRONT,
        DocumentKind.IDENTITY_BACK,
    )


def test_sophie_is_told_the_back_of_her_identity_document_is_missing(
    demo: Session,
) -> None:
    sophie = find_order(demo, "CMD-2026-004633")
    assert missing_documents_words(sophie) == "le verso de votre pièce d'identité"


@pytest.mark.parametrize(
    ("missing", "words"),
    [
        ((), ""),
        ((DocumentKind.IDENTITY_FRONT,), "le recto de votre pièce d'identité"),
        (
            (DocumentKind.IDENTITY_FRONT, DocumentKind.IDENTITY_BACK),
            "le recto de votre pièce d'identité et le verso de votre pièce d'identité",
        ),
    ],
)
def test_missing_documents_are_named_in_french(
    missing: tuple[DocumentKind, ...], words: str
) -> None:
    view = replace(EXPECTED["CMD-2026-004633"], documents_missing=missing)
    assert missing_documents_words(view) == words


def test_an_order_view_cannot_be_changed() -> None:
    with pytest.raises(FrozenInstanceError):
        EXPECTED["CMD-2026-004512"].status = OrderStatus.CANCELLED  # type: ignore[misc]


@pytest.mark.parametrize("status", list(OrderStatus))
def test_every_order_status_has_its_own_status_response(status: OrderStatus) -> None:
    assert STATUS_RESPONSES[status] == f"utter_order_status_{status.value}"
