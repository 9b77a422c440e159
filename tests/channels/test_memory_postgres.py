"""Replay memory on PostgreSQL: servers racing on one message accept it once.

Runs when BOT_TEST_POSTGRES_URL names a scratch database (see tests/bot/test_postgres).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.channels.buttons import Choice
from bot.channels.memory import Incoming, accept
from bot.channels.store import DatabaseMemory
from bot.config import Settings
from bot.db import downgrade, migrate

POSTGRES_URL = os.environ.get("BOT_TEST_POSTGRES_URL", "")
pytestmark = pytest.mark.skipif(
    not POSTGRES_URL and not os.environ.get("CI"),
    reason="BOT_TEST_POSTGRES_URL names no scratch PostgreSQL database",
)


@pytest.fixture
def postgres() -> Iterator[Settings]:
    """Settings on a freshly migrated scratch PostgreSQL database."""
    if not POSTGRES_URL:
        pytest.fail("CI must run these tests: BOT_TEST_POSTGRES_URL is not set")
    downgrade(POSTGRES_URL)
    migrate(POSTGRES_URL)
    yield Settings(database_url=POSTGRES_URL, secret_key="test-secret")
    downgrade(POSTGRES_URL)


def test_eight_servers_given_the_same_message_accept_it_once(postgres):
    incoming = Incoming("SM" + "7" * 32, "+33612345678", "bonjour")

    def deliver(_: int) -> bool:
        return DatabaseMemory(postgres).first_delivery("twilio_signed", incoming)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(deliver, range(8)))
    assert results.count(True) == 1


def test_choices_offered_by_one_server_are_read_by_another_on_postgresql(postgres):
    first = Incoming("SM1", "+33612345678", "bonjour")
    accept(DatabaseMemory(postgres), "twilio_signed", first)
    DatabaseMemory(postgres).answered(
        "twilio_signed", first, [Choice("Oui", "/affirm"), Choice("Non", "/deny")]
    )
    second = Incoming("SM2", "+33612345678", "2")
    assert accept(DatabaseMemory(postgres), "twilio_signed", second) == "/deny"
