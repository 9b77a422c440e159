"""The queue: place of a ticket, expected wait from recent claims, overdue, figures."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.handoff import callbacks, queue, tickets
from tests.bot.handoff.factories import chat_ticket, make_agent

pytestmark = pytest.mark.usefixtures("fast_argon2")
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=timezone.utc)


def claimed(session, agent, conversation: str, waited: timedelta, ago: timedelta):
    """A chat ticket claimed `ago` before NOW after waiting `waited`."""
    ticket = chat_ticket(session, conversation, created_at=NOW - ago - waited)
    tickets.claim(session, ticket, agent)
    ticket.claimed_at = NOW - ago
    session.flush()
    return ticket


def test_the_place_counts_the_waiting_chats_created_before(db_session):
    alice = make_agent(db_session, "alice@example.fr")
    first, second, third = (chat_ticket(db_session, f"c{n}") for n in range(3))
    assert [queue.position(db_session, t) for t in (first, second, third)] == [1, 2, 3]
    tickets.claim(db_session, first, alice)
    second.kind = "callback"
    db_session.flush()
    assert queue.position(db_session, third) == 1


def test_without_a_recent_claim_there_is_no_expected_wait(db_session):
    alice = make_agent(db_session, "alice@example.fr")
    claimed(db_session, alice, "old", timedelta(minutes=5), ago=timedelta(days=8))
    assert queue.recent_waits(db_session, NOW) == []
    assert queue.expected_wait(db_session, 1, NOW) is None


def test_the_expected_wait_is_the_median_recent_wait_times_the_place(db_session):
    alice = make_agent(db_session, "alice@example.fr")
    for n, minutes in enumerate((2, 4, 30)):
        claimed(db_session, alice, f"c{n}", timedelta(minutes=minutes), timedelta(1))
    claimed(
        db_session, alice, "old", timedelta(hours=5), ago=timedelta(days=7, hours=1)
    )
    assert sorted(queue.recent_waits(db_session, NOW)) == [
        timedelta(minutes=m) for m in (2, 4, 30)
    ]
    assert queue.expected_wait(db_session, 1, NOW) == 4
    assert queue.expected_wait(db_session, 3, NOW) == 12


def test_a_short_wait_is_rounded_up_to_at_least_a_minute(db_session):
    alice = make_agent(db_session, "alice@example.fr")
    claimed(db_session, alice, "fast", timedelta(seconds=10), ago=timedelta(hours=1))
    assert queue.expected_wait(db_session, 1, NOW) == 1
    assert queue.expected_wait(db_session, 7, NOW) == 2  # 70 s


def test_overdue_tickets_are_the_waiting_chats_older_than_the_timeout(db_session):
    alice = make_agent(db_session, "alice@example.fr")
    timeout = timedelta(minutes=10)
    late = chat_ticket(db_session, "late", created_at=NOW - timedelta(minutes=30))
    due = chat_ticket(db_session, "due", created_at=NOW - timeout)
    chat_ticket(db_session, "recent", created_at=NOW - timedelta(minutes=9))
    held = chat_ticket(db_session, "held", created_at=NOW - timedelta(hours=1))
    tickets.claim(db_session, held, alice)
    call = chat_ticket(db_session, "call", created_at=NOW - timedelta(hours=1))
    call.kind = "callback"
    offered = chat_ticket(db_session, "offered", created_at=NOW - timedelta(hours=1))
    assert callbacks.mark_offered(db_session, offered)
    assert [t.id for t in queue.overdue(db_session, timeout, NOW)] == [late.id, due.id]


def test_the_weekly_figures_count_reasons_and_the_median_wait(db_session):
    alice = make_agent(db_session, "alice@example.fr")
    for n, minutes in enumerate((3, 6)):
        claimed(db_session, alice, f"c{n}", timedelta(minutes=minutes), timedelta(1))
    chat_ticket(db_session, "w1", reason="after_fallback", created_at=NOW)
    chat_ticket(db_session, "w2", reason="after_fallback", created_at=NOW)
    chat_ticket(
        db_session, "gone", reason="backend_error", created_at=NOW - timedelta(days=8)
    )
    assert queue.weekly_figures(db_session, NOW) == {
        "per_reason": {"after_fallback": 2, "customer_request": 2},
        "median_wait_minutes": 4.5,
        "claimed": 2,
    }


def test_an_empty_week_has_no_median(db_session):
    assert queue.weekly_figures(db_session, NOW) == {
        "per_reason": {},
        "median_wait_minutes": None,
        "claimed": 0,
    }
