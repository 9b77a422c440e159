"""SQLite: two processes' transactions that read, then write, must both succeed."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from bot.config import Settings
from bot.db import lock_for_write, session_scope
from bot.models import OutboxMessage
from bot.outbox import enqueue


def read_then_write(settings: Settings, name: str, lock: bool) -> None:
    """Count the outbox, wait as a slow password check would, then add a message."""
    with session_scope(settings) as session:
        if lock:
            lock_for_write(session)
        session.execute(select(func.count(OutboxMessage.id))).scalar_one()
        time.sleep(0.3)
        enqueue(session, channel="sms", to="0612345678", text=name)


def run_both(settings: Settings, lock: bool) -> list[BaseException]:
    errors: list[BaseException] = []

    def guarded(name: str) -> None:
        try:
            read_then_write(settings, name, lock)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(n,)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_with_the_lock_both_writers_succeed_one_after_the_other(
    migrated_url: str,
) -> None:
    settings = Settings(database_url=migrated_url)
    assert run_both(settings, lock=True) == []
    with session_scope(settings) as session:
        assert session.execute(select(func.count(OutboxMessage.id))).scalar_one() == 2


def test_without_the_lock_one_writer_fails_as_database_is_locked(
    migrated_url: str,
) -> None:
    errors = run_both(Settings(database_url=migrated_url), lock=False)
    assert errors, "the unlocked read-then-write no longer conflicts"
    with pytest.raises(OperationalError, match="locked"):
        raise errors[0]
