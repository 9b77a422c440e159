"""What the verification tests share: the demo customers, a code sent and typed,
a verification checked at a given time."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.config import DEFAULT_FIXTURE, Settings
from bot.models import VerificationCode
from bot.seed import load_fixture, seed
from bot.verification import CodeCheck, check_code, send_code
from bot.verification_lifetime import is_verified

NOW = datetime(2026, 5, 20, 8, 0, tzinfo=timezone.utc)
NUMBER = "0612345678"  # a customer's line in the demo data
OTHER_NUMBER = "0623456789"
UNKNOWN_NUMBER = "0699999999"
CONVERSATION = "conv-1"
SETTINGS = Settings(secret_key="test")


def seeded(db_session: Session) -> Session:
    """The test database with the demo customers in it."""
    seed(db_session, load_fixture(DEFAULT_FIXTURE), date(2026, 5, 20))
    db_session.flush()
    return db_session


def send(session, *, number=NUMBER, conversation=CONVERSATION, at=NOW) -> str | None:
    return send_code(
        session, msisdn=number, conversation_id=conversation, settings=SETTINGS, now=at
    )


def check(
    session,
    code: str,
    *,
    number: str = NUMBER,
    conversation: str = CONVERSATION,
    at: datetime = NOW,
    settings: Settings = SETTINGS,
) -> CodeCheck:
    return check_code(
        session,
        msisdn=number,
        conversation_id=conversation,
        code=code,
        settings=settings,
        now=at,
    )


def verified(
    session, at: datetime, *, number: str = NUMBER, conversation: str = CONVERSATION
) -> bool:
    return is_verified(session, msisdn=number, conversation_id=conversation, now=at)


def last_use(session) -> datetime | None:
    return session.execute(select(func.max(VerificationCode.last_used_at))).scalar()
