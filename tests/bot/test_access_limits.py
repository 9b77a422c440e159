"""The flood guard on reset links: at most 3 per holder or line an hour."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from bot.access import UserResetOutcome, request_holder_reset, request_user_reset
from bot.config import DEFAULT_FIXTURE, Settings
from bot.models import OutboxMessage
from bot.seed import load_fixture, seed


def test_a_line_gets_at_most_three_links_an_hour(db_session) -> None:
    """A flood guard: the fourth request within the hour sends nothing."""
    seed(db_session, load_fixture(DEFAULT_FIXTURE), date(2026, 11, 26))
    start = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
    outcomes = [
        request_user_reset(
            db_session,
            msisdn="0612345678",
            settings=Settings(secret_key="t"),
            conversation_id="c",
            now=start + timedelta(minutes=minute),
        )
        for minute in (0, 10, 20, 30, 61)
    ]
    assert outcomes == [UserResetOutcome.SENT] * 3 + [
        UserResetOutcome.TOO_MANY_LINKS,
        UserResetOutcome.SENT,
    ]


def test_a_holder_gets_at_most_three_links_an_hour_with_the_same_answer(
    db_session,
) -> None:
    seed(db_session, load_fixture(DEFAULT_FIXTURE), date(2026, 11, 26))
    start = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
    for minute in range(4):
        assert (
            request_holder_reset(
                db_session,
                email="marie.dupont@example.fr",
                settings=Settings(secret_key="t"),
                conversation_id="c",
                now=start + timedelta(minutes=minute),
            )
            is None
        )
    mails = (
        db_session.execute(
            select(OutboxMessage).where(OutboxMessage.to == "marie.dupont@example.fr")
        )
        .scalars()
        .all()
    )
    assert len(mails) == 3
