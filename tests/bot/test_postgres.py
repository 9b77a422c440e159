"""The same migration and seed on PostgreSQL, when a scratch database is given.

Set BOT_TEST_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5432/bot_scratch)
to run these; they drop and recreate the schema of that database.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from bot.config import DEFAULT_FIXTURE, Settings
from bot.db import downgrade, migrate, session_scope
from bot.models import Base, OutboxMessage, Porting
from bot.outbox import enqueue, list_messages
from bot.seed import load_fixture, seed
from bot.verification import CheckResult, check_code, send_code
from bot.verification_lifetime import is_verified
from tests.bot.test_migrations import differences

POSTGRES_URL = os.environ.get("BOT_TEST_POSTGRES_URL", "")
# CI installs PostgreSQL (.ci/run): there, a missing database fails instead of skipping.
pytestmark = pytest.mark.skipif(
    not POSTGRES_URL and not os.environ.get("CI"),
    reason="BOT_TEST_POSTGRES_URL names no scratch PostgreSQL database",
)


@pytest.fixture
def postgres() -> Iterator[Settings]:
    """Settings pointing at a freshly migrated scratch PostgreSQL database."""
    if not POSTGRES_URL:
        pytest.fail("CI must run these tests: BOT_TEST_POSTGRES_URL is not set")
    downgrade(POSTGRES_URL)
    migrate(POSTGRES_URL)
    yield Settings(database_url=POSTGRES_URL)
    downgrade(POSTGRES_URL)


def test_the_migration_creates_exactly_the_models_schema_on_postgresql(postgres):
    assert differences(POSTGRES_URL, Base.metadata) == []


def test_the_demo_seeds_twice_and_the_outbox_works_on_postgresql(postgres):
    data = load_fixture(DEFAULT_FIXTURE)
    for _ in range(2):
        with session_scope(postgres) as session:
            report = seed(session, data, date(2026, 5, 20))
    assert sum(report.unchanged.values()) == 25
    with session_scope(postgres) as session:
        enqueue(session, channel="sms", to="0612345678", text="x", idempotency_key="k")
        enqueue(session, channel="sms", to="0612345678", text="y", idempotency_key="k")
    with session_scope(postgres) as session:
        assert session.execute(select(func.count()).select_from(Porting)).scalar() == 5
        assert [m.text for m in list_messages(session)] == ["x"]
        assert session.execute(select(OutboxMessage.created_at)).scalar().tzinfo


def test_a_verification_lapses_after_15_idle_minutes_on_postgresql(postgres):
    now = datetime(2026, 5, 20, 8, 0, tzinfo=timezone.utc)
    settings = Settings(database_url=POSTGRES_URL, secret_key="test")
    number, conversation = "0612345678", "conv-pg"
    with session_scope(postgres) as session:
        seed(session, load_fixture(DEFAULT_FIXTURE), now.date())
        code = send_code(
            session,
            msisdn=number,
            conversation_id=conversation,
            settings=settings,
            now=now,
        )
        checked = check_code(
            session,
            msisdn=number,
            conversation_id=conversation,
            code=code,
            settings=settings,
            now=now,
        )
        assert checked.result is CheckResult.VERIFIED

    def verified(minutes: float) -> bool:
        at = now + timedelta(minutes=minutes)
        with session_scope(postgres) as session:
            return is_verified(
                session, msisdn=number, conversation_id=conversation, now=at
            )

    assert verified(14.98)
    assert verified(29.9)  # 14.92 minutes after the last use
    assert not verified(45)
    assert not verified(50)  # the refusal at 45 was no use
