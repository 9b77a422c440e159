"""Agent accounts: creation rules, Argon2id hashes, lockout, disabled accounts, demo."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher, Type
from argon2.exceptions import VerifyMismatchError
from argon2.profiles import RFC_9106_LOW_MEMORY
from sqlalchemy import select

from bot.handoff import agents
from bot.handoff.agents import AccountError, Login
from bot.models import AuditEvent

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=timezone.utc)
PASSWORD = "correct horse battery"


def add(session, email: str = "alice@example.fr", **changes):
    values = {"name": "Alice Martin", "password": PASSWORD, **changes}
    return agents.add(session, email=email, **values)


def actions(session) -> list[str]:
    return list(
        session.execute(select(AuditEvent.action).order_by(AuditEvent.id)).scalars()
    )


def test_an_agent_is_created_active_with_a_clean_email_and_name(db_session):
    agent = add(db_session, "  Alice@Example.FR ", name="  Alice \n Martin ")
    assert (agent.email, agent.name, agent.role) == (
        "alice@example.fr",
        "Alice Martin",
        "agent",
    )
    assert agent.active and agent.failed_logins == 0 and agent.locked_until is None
    assert agents.find_by_email(db_session, "ALICE@example.fr ").id == agent.id
    assert add(db_session, "sue@example.fr", role="supervisor").role == "supervisor"
    assert actions(db_session) == ["agent_added", "agent_added"]


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"email": "alice"}, "is not an e-mail address"),
        ({"email": "alice@example"}, "is not an e-mail address"),
        ({"email": "a b@example.fr"}, "is not an e-mail address"),
        ({"name": "   "}, "needs a name"),
        ({"role": "admin"}, "role must be one of agent, supervisor"),
        ({"password": "x" * 9}, "at least 10 characters"),
        ({"password": ""}, "at least 10 characters"),
    ],
)
def test_a_bad_value_refuses_the_account(db_session, changes, problem):
    email = changes.pop("email", "alice@example.fr")
    with pytest.raises(AccountError, match=problem):
        add(db_session, email, **changes)
    assert agents.listing(db_session) == []


def test_an_e_mail_cannot_be_used_twice_whatever_its_case(db_session):
    add(db_session)
    with pytest.raises(AccountError, match="already exists"):
        add(db_session, "ALICE@example.fr", name="Another Alice")
    assert len(agents.listing(db_session)) == 1


def test_the_stored_hash_is_argon2id_and_never_the_password(db_session):
    stored = add(db_session).password_hash
    assert stored.startswith("$argon2id$v=19$")
    assert PASSWORD not in stored
    params = RFC_9106_LOW_MEMORY
    assert f"m={params.memory_cost},t={params.time_cost},p={params.parallelism}" in (
        stored
    )
    assert PasswordHasher(type=Type.ID).verify(stored, PASSWORD)
    with pytest.raises(VerifyMismatchError):
        PasswordHasher().verify(stored, PASSWORD + "!")


def test_the_right_password_logs_in_and_clears_the_failures(db_session):
    agent = add(db_session)
    assert agents.authenticate(db_session, "alice@example.fr", "wrong one", NOW) == (
        Login(None, "bad_credentials")
    )
    assert agent.failed_logins == 1
    assert agents.authenticate(db_session, " Alice@example.fr", PASSWORD, NOW) == (
        Login(agent)
    )
    assert agent.failed_logins == 0
    assert actions(db_session)[-2:] == ["agent_login_failed", "agent_logged_in"]


def test_an_unknown_e_mail_is_refused_exactly_like_a_wrong_password(db_session):
    add(db_session)
    unknown = agents.authenticate(db_session, "nobody@example.fr", PASSWORD, NOW)
    wrong = agents.authenticate(db_session, "alice@example.fr", "wrong password", NOW)
    assert unknown == wrong == Login(None, "bad_credentials", None)


def test_five_failures_lock_the_account_for_15_minutes_even_for_the_right_password(
    db_session,
):
    agent = add(db_session)
    refusals = [
        agents.authenticate(db_session, "alice@example.fr", f"wrong {n}", NOW).refusal
        for n in range(5)
    ]
    assert refusals == ["bad_credentials"] * 4 + ["locked"]
    assert agent.locked_until == NOW + timedelta(minutes=15)
    almost = NOW + timedelta(minutes=14, seconds=59)
    assert agents.authenticate(db_session, "alice@example.fr", PASSWORD, almost) == (
        Login(None, "locked", NOW + timedelta(minutes=15))
    )
    assert actions(db_session).count("agent_locked") == 1


def test_the_account_unlocks_after_15_minutes(db_session):
    agent = add(db_session)
    for n in range(5):
        agents.authenticate(db_session, "alice@example.fr", f"wrong {n}", NOW)
    later = NOW + timedelta(minutes=15)
    assert agents.authenticate(db_session, "alice@example.fr", PASSWORD, later) == (
        Login(agent)
    )
    assert agent.locked_until is None and agent.failed_logins == 0


def test_failures_count_again_from_zero_after_a_lockout(db_session):
    add(db_session)
    for n in range(5):
        agents.authenticate(db_session, "alice@example.fr", f"wrong {n}", NOW)
    later = NOW + timedelta(minutes=16)
    again = [
        agents.authenticate(db_session, "alice@example.fr", "nope nope", later).refusal
        for _ in range(4)
    ]
    assert again == ["bad_credentials"] * 4


def test_a_success_between_failures_starts_the_count_again(db_session):
    add(db_session)
    for attempt in ["bad 1", "bad 2", "bad 3", "bad 4", PASSWORD, "bad 5", "bad 6"]:
        last = agents.authenticate(db_session, "alice@example.fr", attempt, NOW)
    assert last.refusal == "bad_credentials"


def test_a_disabled_account_is_refused_even_with_the_right_password(db_session):
    add(db_session)
    agents.set_active(db_session, "ALICE@example.fr", False)
    assert agents.authenticate(db_session, "alice@example.fr", PASSWORD, NOW) == (
        Login(None, "disabled")
    )
    assert agents.authenticate(db_session, "alice@example.fr", "wrong!!!!", NOW) == (
        Login(None, "bad_credentials")
    )
    assert "agent_disabled" in actions(db_session)
    agents.set_active(db_session, "alice@example.fr", True)
    assert agents.authenticate(db_session, "alice@example.fr", PASSWORD, NOW).agent


def test_disabling_an_unknown_e_mail_is_an_error(db_session):
    with pytest.raises(AccountError, match="no agent has the e-mail"):
        agents.set_active(db_session, "nobody@example.fr", False)


def test_the_demo_agent_is_a_supervisor_reset_with_a_new_password(db_session):
    email, first = agents.ensure_demo_agent(db_session)
    demo = agents.find_by_email(db_session, email)
    assert email == agents.DEMO_EMAIL and demo.role == "supervisor"
    assert len(first) >= agents.MIN_PASSWORD_LENGTH
    demo.active = False
    demo.locked_until = NOW + timedelta(minutes=10)
    demo.failed_logins = 3
    same, second = agents.ensure_demo_agent(db_session)
    assert same == email and second != first
    assert demo.active and demo.locked_until is None and demo.failed_logins == 0
    assert agents.authenticate(db_session, email, first, NOW).agent is None
    assert agents.authenticate(db_session, email, second, NOW).agent.id == demo.id
    assert len(agents.listing(db_session)) == 1


def test_the_console_view_of_an_agent_has_no_secret(db_session):
    agent = add(db_session)
    assert agents.view(agent).to_dict() == {
        "id": agent.id,
        "email": "alice@example.fr",
        "name": "Alice Martin",
        "role": "agent",
        "active": True,
    }
