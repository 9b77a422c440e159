"""Retention: old records are deleted, what is still needed is kept."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.config import Settings, get_settings
from bot.db import session_scope
from bot.models import (
    ChannelMessage,
    MessageStatus,
    OutboxMessage,
    ResetLink,
    VerificationCode,
)
from bot.retention import purge

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


def add_records(settings: Settings, at: datetime, tag: str) -> None:
    """One record of each kind created at `at`; the outbox has one of each status."""
    with session_scope(settings) as session:
        for status in MessageStatus:
            session.add(
                OutboxMessage(
                    channel="sms",
                    to="0612345678",
                    text=f"{tag} {status.value}",
                    status=status,
                    created_at=at,
                )
            )
        session.add(
            ChannelMessage(
                channel="twilio", message_id=f"SM{tag}", sender_key="k", received_at=at
            )
        )
        session.add(
            VerificationCode(
                msisdn="0612345678",
                conversation_id=tag,
                code_hash="h" * 64,
                created_at=at,
                expires_at=at + timedelta(minutes=10),
            )
        )
        session.add(
            ResetLink(
                token_hash=f"{tag:>064}",
                subject_kind="holder",
                subject_id="1",
                created_at=at,
                expires_at=at + timedelta(minutes=30),
            )
        )


def count(settings: Settings, table: type) -> int:
    with session_scope(settings) as session:
        return session.execute(select(func.count()).select_from(table)).scalar_one()


def test_records_older_than_the_limit_go_and_a_waiting_message_stays(
    migrated_url: str,
) -> None:
    settings = Settings(database_url=migrated_url)
    add_records(settings, NOW - timedelta(days=31), "old")
    add_records(settings, NOW - timedelta(days=29), "new")
    with session_scope(settings) as session:
        deleted = purge(session, 30, now=NOW)
    assert deleted == {
        "outbox messages (sent or failed)": 2,
        "channel replay records": 1,
        "verification codes": 1,
        "reset links": 1,
    }
    with session_scope(settings) as session:
        texts = set(session.execute(select(OutboxMessage.text)).scalars())
    # The old pending message would be lost if deleted: it is still to be sent.
    assert texts == {"old pending", "new pending", "new sent", "new failed"}
    for table in (ChannelMessage, VerificationCode, ResetLink):
        assert count(settings, table) == 1


def test_an_old_code_whose_verification_is_still_used_stays(
    migrated_url: str,
) -> None:
    settings = Settings(database_url=migrated_url)
    add_records(settings, NOW - timedelta(days=31), "old")
    add_records(settings, NOW - timedelta(days=31), "in use")
    with session_scope(settings) as session:
        code = session.execute(
            select(VerificationCode).where(VerificationCode.conversation_id == "in use")
        ).scalar_one()
        code.consumed_at = code.created_at
        code.last_used_at = NOW - timedelta(minutes=5)
    with session_scope(settings) as session:
        assert purge(session, 30, now=NOW)["verification codes"] == 1
    with session_scope(settings) as session:
        kept = session.execute(select(VerificationCode.conversation_id)).scalars()
        assert list(kept) == ["in use"]


def test_less_than_a_day_is_refused(migrated_url: str) -> None:
    with session_scope(Settings(database_url=migrated_url)) as session:
        with pytest.raises(ValueError, match="at least 1 day"):
            purge(session, 0, now=NOW)


def test_the_command_prints_what_it_deleted(migrated_url: str, capsys) -> None:
    settings = Settings(database_url=migrated_url)
    add_records(settings, datetime.now(timezone.utc) - timedelta(days=10), "old")
    assert main(["purge", "--older-than", "7"]) == 0
    printed = capsys.readouterr().out
    assert "2  outbox messages (sent or failed)" in printed
    assert "1  verification codes" in printed
    assert count(settings, VerificationCode) == 0


@pytest.mark.parametrize("days", ["0", "-3", "abc", "1.5"])
def test_the_command_refuses_a_bad_number_of_days(days: str, capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["purge", "--older-than", days])
    assert exited.value.code == 2
    assert "at least 1" in capsys.readouterr().err


async def test_old_conversations_leave_the_sql_tracker_store_whole(
    migrated_url: str, tmp_path, monkeypatch, capsys
) -> None:
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"))
    now = datetime.now(timezone.utc).timestamp()
    for sender, age_days in (("old", 10), ("recent", 1), ("old-then-back", 10)):
        stamp = now - age_days * 86400
        events = [
            UserUttered("bonjour", {"name": "greet"}, timestamp=stamp),
            ActionExecuted("action_listen", timestamp=stamp + 1),
        ]
        if sender == "old-then-back":  # spoke again yesterday: kept whole
            events.append(UserUttered("re", {"name": "greet"}, timestamp=now - 86400))
        await store.save(DialogueStateTracker.from_events(sender, events))

    monkeypatch.setenv("DATABASE_URL", migrated_url)
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path / 't.db'}")
    get_settings.cache_clear()
    try:
        assert main(["purge", "--older-than", "7"]) == 0
    finally:
        get_settings.cache_clear()
    assert "1  conversations (tracker store)" in capsys.readouterr().out
    assert await store.retrieve("old") is None
    assert len((await store.retrieve("recent")).events) == 2
    assert len((await store.retrieve("old-then-back")).events) == 3
