"""Console sessions: hashed tokens, resuming, idle expiry, disabled agents, logout."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from bot.handoff import sessions
from bot.models import AgentSession
from tests.bot.handoff.factories import make_agent

pytestmark = pytest.mark.usefixtures("fast_argon2")
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=timezone.utc)
IDLE = timedelta(minutes=30)


@pytest.fixture
def alice(db_session):
    return make_agent(db_session, "alice@example.fr")


def stored(session) -> list[AgentSession]:
    return list(session.execute(select(AgentSession)).scalars())


def test_a_session_stores_only_hashes_of_its_cookie_and_csrf_tokens(db_session, alice):
    opened = sessions.start(db_session, alice, NOW)
    (row,) = stored(db_session)
    assert len(opened.token) >= 40 and opened.token != opened.csrf_token
    assert row.token_hash == hashlib.sha256(opened.token.encode()).hexdigest()
    assert row.csrf_hash == hashlib.sha256(opened.csrf_token.encode()).hexdigest()
    assert opened.token not in (row.token_hash, row.csrf_hash)
    assert (row.agent_id, row.created_at, row.last_seen_at) == (alice.id, NOW, NOW)


def test_two_logins_get_two_different_sessions(db_session, alice):
    first, second = sessions.start(db_session, alice), sessions.start(db_session, alice)
    assert first.token != second.token and first.csrf_token != second.csrf_token
    assert len(stored(db_session)) == 2


def test_resuming_finds_the_agent_and_moves_the_last_seen_time(db_session, alice):
    opened = sessions.start(db_session, alice, NOW)
    later = NOW + timedelta(minutes=20)
    resumed = sessions.resume(db_session, opened.token, IDLE, later)
    assert resumed.agent.id == alice.id
    (row,) = stored(db_session)
    assert row.last_seen_at == later
    # Each request keeps it alive: 40 minutes after login, 20 after the last one.
    assert sessions.resume(db_session, opened.token, IDLE, NOW + timedelta(minutes=40))


@pytest.mark.parametrize("token", [None, "", "not-a-session-token"])
def test_no_or_an_unknown_cookie_resumes_nothing(db_session, alice, token):
    sessions.start(db_session, alice, NOW)
    assert sessions.resume(db_session, token, IDLE, NOW) is None
    assert len(stored(db_session)) == 1


@pytest.mark.parametrize(
    ("idle_for", "alive"),
    [(IDLE, True), (IDLE + timedelta(seconds=1), False), (timedelta(days=1), False)],
)
def test_a_session_idle_for_longer_than_the_limit_expires(
    db_session, alice, idle_for, alive
):
    opened = sessions.start(db_session, alice, NOW)
    resumed = sessions.resume(db_session, opened.token, IDLE, NOW + idle_for)
    assert (resumed is not None) is alive
    db_session.flush()
    assert len(stored(db_session)) == (1 if alive else 0)


def test_a_disabled_agent_s_session_ends(db_session, alice):
    opened = sessions.start(db_session, alice, NOW)
    alice.active = False
    db_session.flush()
    assert sessions.resume(db_session, opened.token, IDLE, NOW) is None
    db_session.flush()
    assert stored(db_session) == []


def test_logging_out_forgets_only_that_session(db_session, alice):
    first, second = sessions.start(db_session, alice), sessions.start(db_session, alice)
    sessions.end(db_session, first.token)
    sessions.end(db_session, None)  # no cookie: nothing to do
    assert sessions.resume(db_session, first.token, IDLE) is None
    assert sessions.resume(db_session, second.token, IDLE) is not None
    count = select(func.count()).select_from(AgentSession)
    assert db_session.execute(count).scalar_one() == 1


@pytest.mark.parametrize(
    ("header", "matches"),
    [("own", True), ("other", False), ("", False), (None, False), ("own+", False)],
)
def test_the_csrf_header_must_be_the_session_s_own_token(
    db_session, alice, header, matches
):
    own = sessions.start(db_session, alice, NOW)
    other = sessions.start(db_session, alice, NOW)
    values = {
        "own": own.csrf_token,
        "other": other.csrf_token,
        "own+": own.csrf_token + "x",
    }
    resumed = sessions.resume(db_session, own.token, IDLE, NOW)
    assert resumed.csrf_matches(values.get(header, header)) is matches
