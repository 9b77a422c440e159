"""The same migration and seed on PostgreSQL, when a scratch database is given.

Set BOT_TEST_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5432/bot_scratch)
to run these; they drop and recreate the schema of that database.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import func, select

from bot.config import DEFAULT_FIXTURE, Settings
from bot.db import downgrade, migrate, session_scope
from bot.models import Base, OutboxMessage, Porting
from bot.outbox import enqueue, list_messages
from bot.seed import load_fixture, seed
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
