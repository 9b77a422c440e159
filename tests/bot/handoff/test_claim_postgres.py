"""Concurrent claims on PostgreSQL: twenty agents at once, exactly one holds the ticket.

Runs when BOT_TEST_POSTGRES_URL names a scratch database (see test_postgres.py).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.db import downgrade, migrate, session_scope
from bot.handoff import tickets
from bot.models import Agent, AuditEvent, Ticket
from tests.bot.handoff.factories import chat_ticket, make_agent

POSTGRES_URL = os.environ.get("BOT_TEST_POSTGRES_URL", "")
AGENTS = 20
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
    yield Settings(database_url=POSTGRES_URL)
    downgrade(POSTGRES_URL)


def claim_all_at_once(ticket_id: int, agent_ids: list[int]) -> dict[int, object]:
    """Each agent claims in its own transaction, all released by one barrier."""
    engine = create_engine(POSTGRES_URL, future=True, pool_size=len(agent_ids))
    barrier = threading.Barrier(len(agent_ids))
    results: dict[int, object] = {}

    def claim(agent_id: int) -> None:
        with Session(engine, future=True) as session:
            ticket, agent = session.get(Ticket, ticket_id), session.get(Agent, agent_id)
            barrier.wait(timeout=30)  # every transaction is open: go
            try:
                tickets.claim(session, ticket, agent)
                session.commit()
                results[agent_id] = "won"
            except Exception as error:
                session.rollback()
                results[agent_id] = error

    threads = [threading.Thread(target=claim, args=(a,)) for a in agent_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    engine.dispose()
    return results


def test_twenty_agents_claiming_at_once_leave_exactly_one_holder(postgres, fast_argon2):
    with session_scope(postgres) as session:
        agent_ids = [
            make_agent(session, f"agent{n}@example.fr").id for n in range(AGENTS)
        ]
        ticket_id = chat_ticket(session).id
    results = claim_all_at_once(ticket_id, agent_ids)
    winners = [agent_id for agent_id, result in results.items() if result == "won"]
    losers = [result for result in results.values() if result != "won"]
    assert len(results) == AGENTS and len(winners) == 1
    assert all(isinstance(error, tickets.TicketTaken) for error in losers), losers
    with session_scope(postgres) as session:
        ticket = session.get(Ticket, ticket_id)
        assert (ticket.state, ticket.agent_id) == ("claimed", winners[0])
        claims = select(func.count()).where(AuditEvent.action == "ticket_claimed")
        assert session.execute(claims).scalar_one() == 1


def test_a_claimed_ticket_is_taken_for_every_later_agent_on_postgresql(
    postgres, fast_argon2
):
    with session_scope(postgres) as session:
        alice = make_agent(session, "alice@example.fr")
        bob = make_agent(session, "bob@example.fr")
        ticket = chat_ticket(session)
        tickets.claim(session, ticket, alice)
    with session_scope(postgres) as session:
        ticket = session.get(Ticket, ticket.id)
        with pytest.raises(tickets.TicketTaken):
            tickets.claim(session, ticket, session.get(Agent, bob.id))
        assert tickets.claim(session, ticket, session.get(Agent, alice.id)) is ticket
