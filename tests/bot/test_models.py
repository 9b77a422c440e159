"""What the models guarantee: foreign keys, UTC timestamps, tracked JSON lists."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from bot.models import Holder, Line, Order, OrderStatus, OutboxMessage


def test_foreign_keys_are_enforced_on_sqlite(db_session: Session):
    db_session.add(Line(msisdn="0612345678", holder_id="C404", activated=False))
    with pytest.raises(IntegrityError):
        db_session.flush()


def test_timestamps_are_read_back_in_utc(db_session: Session):
    paris_noon = datetime.fromisoformat("2026-05-20T12:00:00+02:00")
    db_session.add(
        OutboxMessage(channel="sms", to="0612345678", text="x", created_at=paris_noon)
    )
    db_session.commit()
    db_session.expire_all()
    message = db_session.query(OutboxMessage).one()
    assert message.created_at == paris_noon
    assert message.created_at.tzinfo == timezone.utc
    assert message.created_at.hour == 10


def test_a_naive_timestamp_is_refused(db_session: Session):
    db_session.add(
        OutboxMessage(
            channel="sms",
            to="0612345678",
            text="x",
            created_at=datetime(2026, 5, 20, 12, 0),
        )
    )
    with pytest.raises(StatementError, match="naive datetime"):
        db_session.flush()


def test_e_mails_are_kept_in_lower_case(db_session: Session):
    holder = Holder(id="C1", first_name="A", last_name="B", email=" A.B@Example.FR ")
    assert holder.email == "a.b@example.fr"


def test_a_document_removed_in_place_is_saved(db_session: Session):
    db_session.add(Holder(id="C1", first_name="A", last_name="B", email="a@b.fr"))
    db_session.add(Line(msisdn="0612345678", holder_id="C1"))
    db_session.flush()
    order = Order(
        id="CMD-2026-000001",
        holder_id="C1",
        msisdn="0612345678",
        subscribed_on=date(2026, 5, 20),
        status="awaiting_documents",
        documents_missing=["identity_front", "identity_back"],
    )
    db_session.add(order)
    db_session.commit()
    order.documents_missing.remove("identity_front")
    db_session.commit()
    db_session.expire_all()
    stored = db_session.get(Order, "CMD-2026-000001")
    assert stored.documents_missing == ["identity_back"]
    assert stored.status is OrderStatus.AWAITING_DOCUMENTS


def test_an_unknown_status_is_refused(db_session: Session):
    db_session.add(Holder(id="C1", first_name="A", last_name="B", email="a@b.fr"))
    db_session.add(Line(msisdn="0612345678", holder_id="C1"))
    db_session.add(
        Order(
            id="CMD-2026-000001",
            holder_id="C1",
            msisdn="0612345678",
            subscribed_on=date(2026, 5, 20),
            status="shiped",
        )
    )
    with pytest.raises(StatementError, match="shiped"):
        db_session.flush()
