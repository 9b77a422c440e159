"""`python -m bot agents add | list | disable | demo`, run as a user would."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.config import PROJECT_ROOT
from bot.db import session_scope
from bot.handoff import agents

PASSWORD = "correct horse battery"


@pytest.fixture
def run(database_url):
    """Run `python -m bot agents ...` on the test's database, with `stdin` piped."""

    def run_agents(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "bot", "agents", *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=PROJECT_ROOT,
            env={**os.environ, "DATABASE_URL": database_url},
            timeout=120,
        )

    return run_agents


def test_an_agent_added_with_the_password_on_stdin_can_log_in(run):
    added = run(
        "add", "Alice@Example.fr", "--name", "Alice Martin", stdin=PASSWORD + "\n"
    )
    assert (added.returncode, added.stdout) == (
        0,
        "agent added: alice@example.fr (agent)\n",
    )
    assert PASSWORD not in added.stdout + added.stderr
    with session_scope() as session:
        login = agents.authenticate(session, "alice@example.fr", PASSWORD)
        assert login.agent is not None and login.agent.name == "Alice Martin"
        assert login.agent.password_hash.startswith("$argon2id$")


def test_the_list_shows_every_agent_with_role_and_status(run):
    assert run("list").stdout == "(no agents)\n"
    run(
        "add", "sue@example.fr", "--name", "Sue", "--role", "supervisor", stdin=PASSWORD
    )
    run("add", "bob@example.fr", "--name", "Bob", stdin=PASSWORD)
    disabled = run("disable", "BOB@example.fr")
    assert (disabled.returncode, disabled.stdout) == (
        0,
        "agent disabled: bob@example.fr\n",
    )
    listed = run("list")
    assert listed.returncode == 0
    assert listed.stdout.splitlines() == [
        "bob@example.fr\tBob\tagent\tdisabled",
        "sue@example.fr\tSue\tsupervisor\tactive",
    ]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["add", "a@example.fr", "--name", "A"], "short\n", "at least 10 characters"),
        (["add", "a@example.fr", "--name", "A"], "", "at least 10 characters"),
        (["add", "not-an-email", "--name", "A"], PASSWORD, "is not an e-mail address"),
        (["add", "a@example.fr", "--name", "  "], PASSWORD, "needs a name"),
        (["disable", "nobody@example.fr"], "", "no agent has the e-mail"),
    ],
)
def test_a_refused_command_exits_with_2_and_says_why(
    run, migrated_url, args, stdin, message
):
    refused = run(*args, stdin=stdin)
    assert refused.returncode == 2
    assert refused.stderr.startswith("error: ") and message in refused.stderr
    assert "Traceback" not in refused.stderr
    with session_scope() as session:
        assert agents.listing(session) == []


def test_an_e_mail_already_taken_is_refused(run):
    run("add", "alice@example.fr", "--name", "Alice", stdin=PASSWORD)
    again = run("add", "ALICE@example.fr", "--name", "Other", stdin=PASSWORD)
    assert again.returncode == 2 and "already exists" in again.stderr
    with session_scope() as session:
        assert [a.name for a in agents.listing(session)] == ["Alice"]


def test_an_unknown_role_is_a_usage_error(run):
    refused = run(
        "add", "a@example.fr", "--name", "A", "--role", "admin", stdin=PASSWORD
    )
    assert refused.returncode == 2 and "invalid choice: 'admin'" in refused.stderr


def test_the_demo_agent_is_printed_and_reset_each_time(run):
    first = run("demo")
    second = run("demo")
    assert first.returncode == second.returncode == 0
    email, password = first.stdout.split()
    same, new_password = second.stdout.split()
    assert email == same == agents.DEMO_EMAIL and password != new_password
    with session_scope() as session:
        assert agents.authenticate(session, email, password).agent is None
        login = agents.authenticate(session, email, new_password)
        assert login.agent is not None and login.agent.role == "supervisor"
