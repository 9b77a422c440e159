"""Resetting the database between conversations, and reading what one left."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from bot.access import request_holder_reset, request_user_reset
from bot.config import DEFAULT_FIXTURE, Settings
from bot.contract_link import send_contract_link
from bot.models import AuditEvent, OutboxMessage, VerificationCode
from bot.porting_service import cancel, change_date
from bot.seed import load_fixture, seed
from bot.verification import send_code
from scripts.dialogue_eval import database

TODAY = date(2026, 12, 1)
SETTINGS = Settings(secret_key="test")
MARIE, SOPHIE = "0612345678", "0745678901"
LUCAS_LINE = MARIE  # Lucas Dupont is the declared user of Marie's line
FIXTURE = load_fixture(DEFAULT_FIXTURE)


@pytest.fixture
def demo(db_session: Session) -> Session:
    seed(db_session, FIXTURE, TODAY)
    db_session.commit()
    return db_session


def _act(session: Session) -> str:
    """What conversations do: a code, a change, a cancellation, links, a contract."""
    code = send_code(session, msisdn=MARIE, conversation_id="c", settings=SETTINGS)
    common = {"conversation_id": "c", "channel": "rest", "settings": SETTINGS}
    new_date = date(2026, 12, 19)
    change_date(
        session, msisdn=MARIE, new_date=new_date, today=TODAY, request_id="r1", **common
    )
    cancel(session, msisdn=SOPHIE, today=TODAY, request_id="r2", **common)
    request_user_reset(
        session, msisdn=LUCAS_LINE, settings=SETTINGS, conversation_id="c"
    )
    request_holder_reset(
        session, email="marie.dupont@example.fr", settings=SETTINGS, conversation_id="c"
    )
    send_contract_link(session, msisdn=MARIE, conversation_id="c", settings=SETTINGS)
    session.commit()
    assert code is not None
    return code


def _count(session: Session, model: type) -> int:
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_the_messages_queued_by_the_services_are_read_as_their_kinds(demo):
    _act(demo)
    assert database.sent_kinds(demo) == [
        "code",
        "change_sms",
        "cancel_sms",
        "reset_sms",
        "reset_email",
        "contract_email",
    ]


def test_the_latest_code_is_read_from_the_outbox_of_the_line(demo):
    first = send_code(demo, msisdn=MARIE, conversation_id="c", settings=SETTINGS)
    assert database.latest_code(demo, MARIE) == first
    second = send_code(demo, msisdn=MARIE, conversation_id="c", settings=SETTINGS)
    assert database.latest_code(demo, MARIE) == second
    assert database.latest_code(demo, SOPHIE) is None


def test_reseeding_restores_the_portings_and_the_conversation_tables_are_emptied(demo):
    seeded = database.read_portings(demo)
    _act(demo)
    assert database.read_portings(demo) != seeded
    restored = database.reset(demo, FIXTURE, TODAY, seeded)
    demo.commit()
    assert restored == []  # the seed itself put date, slot and status back
    assert database.read_portings(demo) == seeded
    for model in (OutboxMessage, VerificationCode, AuditEvent):
        assert _count(demo, model) == 0


def test_a_porting_the_seed_does_not_restore_is_written_back_from_the_snapshot(demo):
    seeded = database.read_portings(demo)
    snapshot = dict(seeded)
    snapshot[MARIE] = seeded[MARIE]._replace(scheduled_on="2026-12-15")
    assert database.reset(demo, FIXTURE, TODAY, snapshot) == [MARIE]
    demo.commit()
    assert database.read_portings(demo) == snapshot


def test_tickets_and_their_messages_are_emptied_when_the_tables_exist(demo):
    if "tickets" not in database.existing_tables(demo):
        pytest.skip("no tickets table in this schema yet")
    demo.execute(
        text(
            "INSERT INTO tickets (conversation_id, channel, kind, reason, state, "
            "created_at, summary) VALUES ('c', 'rest', 'callback', 'asked', "
            "'waiting', '2026-12-01 10:00:00', '{}')"
        )
    )
    ticket_id = demo.execute(text("SELECT max(id) FROM tickets")).scalar_one()
    demo.execute(
        text(
            "INSERT INTO ticket_messages (ticket_id, author, text, at) "
            "VALUES (:id, 'customer', 'allô', '2026-12-01 10:00:00')"
        ),
        {"id": ticket_id},
    )
    demo.commit()
    assert database.handoffs(demo, "c") == ["callback"]
    assert database.handoffs(demo, "other") == []
    assert "ticket_messages" in database.clear_conversation_tables(demo)
    demo.commit()
    assert database.handoffs(demo, "c") == []
    left = demo.execute(text("SELECT count(*) FROM ticket_messages")).scalar_one()
    assert left == 0


def test_without_a_tickets_table_there_is_no_handoff(demo):
    demo.execute(text("DROP TABLE IF EXISTS ticket_messages"))
    demo.execute(text("DROP TABLE IF EXISTS tickets"))
    demo.commit()
    assert database.handoffs(demo, "c") == []
    assert "tickets" not in database.clear_conversation_tables(demo)
