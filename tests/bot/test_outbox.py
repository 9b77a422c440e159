"""The outbox, the audit trail, and the command line that shows them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from bot import outbox
from bot.audit import record
from bot.config import PROJECT_ROOT
from bot.db import session_scope
from bot.models import AuditEvent, Channel, MessageStatus, OutboxMessage
from bot.outbox import enqueue, list_messages, to_dict

REQUIRED_KEYS = {"channel", "to", "text", "status", "created_at", "attempts", "sent_at"}


def run_cli(*args: str, database_url: str, **env: str) -> subprocess.CompletedProcess:
    """Run `python -m bot ARGS` in a child process against `database_url`."""
    environment = os.environ | {"DATABASE_URL": database_url} | env
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def count_messages() -> int:
    with session_scope() as session:
        statement = select(func.count()).select_from(OutboxMessage)
        return session.execute(statement).scalar_one()


def test_a_repeated_idempotency_key_queues_nothing_new(migrated_url):
    with session_scope() as session:
        first = enqueue(
            session, channel="sms", to="0612345678", text="A", idempotency_key="k1"
        )
    with session_scope() as session:
        again = enqueue(
            session, channel="sms", to="0612345678", text="B", idempotency_key="k1"
        )
        assert again.id == first.id
        assert again.text == "A"
    assert count_messages() == 1


def test_a_repeated_key_in_the_same_session_returns_the_same_message(migrated_url):
    with session_scope() as session:
        first = enqueue(
            session, channel=Channel.EMAIL, to="a@b.fr", text="x", idempotency_key="k"
        )
        again = enqueue(
            session, channel=Channel.EMAIL, to="a@b.fr", text="x", idempotency_key="k"
        )
        assert again is first
    assert count_messages() == 1


@pytest.mark.parametrize("keys", [(None, None), ("k1", "k2"), ("k1", None)])
def test_messages_without_the_same_key_are_all_queued(migrated_url, keys):
    with session_scope() as session:
        for key in keys:
            enqueue(
                session, channel="sms", to="0612345678", text="x", idempotency_key=key
            )
    assert count_messages() == 2


def test_a_new_message_is_pending_with_no_attempt(migrated_url):
    with session_scope() as session:
        message = enqueue(session, channel="email", to=" a@b.fr ", text="Bonjour")
    assert message.status is MessageStatus.PENDING
    assert message.attempts == 0
    assert message.to == "a@b.fr"
    assert message.sent_at is None


@pytest.mark.parametrize(
    ("channel", "to", "text"),
    [("fax", "0612345678", "x"), ("sms", " ", "x"), ("sms", "0612345678", "")],
)
def test_a_message_without_a_known_channel_a_recipient_or_a_text_is_refused(
    migrated_url, channel, to, text
):
    with session_scope() as session, pytest.raises(ValueError):
        enqueue(session, channel=channel, to=to, text=text)
    assert count_messages() == 0


def test_messages_are_listed_oldest_first(migrated_url):
    start = datetime(2026, 5, 20, 8, 0, tzinfo=timezone.utc)
    with session_scope() as session:
        for minutes, text in [(30, "third"), (10, "first"), (20, "second")]:
            message = enqueue(session, channel="sms", to="0612345678", text=text)
            message.created_at = start + timedelta(minutes=minutes)
    with session_scope() as session:
        assert [m.text for m in list_messages(session)] == ["first", "second", "third"]


def test_a_message_becomes_a_dict_with_iso_timestamps(migrated_url):
    with session_scope() as session:
        enqueue(session, channel="sms", to="0612345678", text="Votre portabilité")
    with session_scope() as session:
        (message,) = list_messages(session)
    row = to_dict(message)
    assert REQUIRED_KEYS <= set(row)
    assert row["channel"] == "sms"
    assert row["status"] == "pending"
    assert datetime.fromisoformat(row["created_at"]).utcoffset() == timedelta(0)
    assert row["sent_at"] is None
    json.dumps(row)


def test_an_audit_event_is_recorded_with_its_details(migrated_url):
    with session_scope() as session:
        record(
            session,
            actor="bot",
            action="porting.moved",
            subject="CMD-2026-004512",
            channel="webchat",
            details={"from": "2026-06-01", "to": "2026-06-02"},
        )
    with session_scope() as session:
        event = session.execute(select(AuditEvent)).scalar_one()
    assert event.action == "porting.moved"
    assert event.details == {"from": "2026-06-01", "to": "2026-06-02"}
    assert event.at.tzinfo is not None


def test_the_outbox_command_prints_a_json_array_oldest_first(migrated_url):
    start = datetime(2026, 5, 20, 8, 0, tzinfo=timezone.utc)
    with session_scope() as session:
        for minutes, text in [(5, "deuxième"), (1, "première")]:
            message = enqueue(session, channel="email", to="a@b.fr", text=text)
            message.created_at = start + timedelta(minutes=minutes)
    result = run_cli("outbox", "--json", database_url=migrated_url)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    assert [row["text"] for row in rows] == ["première", "deuxième"]
    assert all(REQUIRED_KEYS <= set(row) for row in rows)
    assert rows[0]["created_at"] == "2026-05-20T08:01:00+00:00"


def test_the_outbox_command_on_a_new_database_prints_an_empty_array(database_url):
    result = run_cli("outbox", "--json", database_url=database_url)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_the_outbox_command_without_json_prints_a_table(migrated_url):
    with session_scope() as session:
        enqueue(session, channel="sms", to="0612345678", text="Code : 123456")
    result = run_cli("outbox", database_url=migrated_url)
    assert result.returncode == 0, result.stderr
    header, row = result.stdout.splitlines()
    assert header.split()[:3] == ["created", "(UTC)", "channel"]
    assert "0612345678" in row
    assert "Code : 123456" in row


def test_the_seed_command_exits_2_with_a_clear_message_on_a_bad_file(
    database_url, tmp_path
):
    bad = tmp_path / "bad.yml"
    bad.write_text("customers:\n  - id: C1001\n    first_name: [\n", encoding="utf-8")
    result = run_cli("seed", "--file", str(bad), database_url=database_url)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {bad}: invalid YAML")
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_the_seed_command_exits_2_on_a_bad_bot_today(database_url):
    result = run_cli("seed", database_url=database_url, BOT_TODAY="20/05/2026")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: BOT_TODAY must be a date written YYYY-MM-DD, not '20/05/2026'"
    )


def test_the_seed_command_prints_a_one_line_summary(database_url):
    result = run_cli("seed", database_url=database_url, BOT_TODAY="2026-05-20")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1
    assert "(today 2026-05-20)" in result.stdout
    assert "created 25" in result.stdout


def test_losing_a_race_on_a_key_returns_the_winner_and_keeps_the_transaction(
    migrated_url, monkeypatch
):
    with session_scope() as session:
        winner = enqueue(
            session, channel="sms", to="0612345678", text="A", idempotency_key="k"
        )
    real_find = outbox._find_by_key
    calls = []

    def find_nothing_first(session, key):
        calls.append(key)
        return None if len(calls) == 1 else real_find(session, key)

    monkeypatch.setattr(outbox, "_find_by_key", find_nothing_first)
    with session_scope() as session:
        other = enqueue(session, channel="sms", to="0699999999", text="B")
        again = enqueue(
            session, channel="sms", to="0612345678", text="C", idempotency_key="k"
        )
        assert again.id == winner.id
    assert calls == ["k", "k"]
    assert count_messages() == 2
    with session_scope() as session:
        assert session.get(OutboxMessage, other.id).text == "B"
