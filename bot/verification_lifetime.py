"""How long the verification a code gives lasts (bot/verification.py sends and
checks the codes).

It lapses after 15 minutes without use, like the conversation's session: an SMS
conversation's id is the customer's number, the same for years, so the database
must not trust it forever. A new session ends it at once. The session is the
caller's: nothing here commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from bot.models import VerificationCode
from bot.normalize import normalize_phone_number
from bot.verification import aware_now

# A verification without use for this long is over (domain.yml's
# session_expiration_time); each successful is_verified counts as use.
VERIFICATION_IDLE = timedelta(minutes=15)
# A last use this far back marks a verification ended with its session.
ENDED = datetime(2000, 1, 1, tzinfo=timezone.utc)


def is_verified(
    session: Session,
    *,
    msisdn: str,
    conversation_id: str,
    now: datetime | None = None,
) -> bool:
    """Tell whether this conversation typed a code sent to this number and used
    that verification in the last VERIFICATION_IDLE; if so, it is used again now."""
    number = normalize_phone_number(msisdn)
    if number is None:
        return False
    now = aware_now(now)
    since = now - VERIFICATION_IDLE
    # One UPDATE, no read first: on SQLite it waits for the write lock instead of
    # failing on a lock upgrade (see bot.db.lock_for_write).
    statement = (
        update(VerificationCode)
        .where(
            VerificationCode.msisdn == number,
            VerificationCode.conversation_id == conversation_id,
            VerificationCode.consumed_at.is_not(None),
            _last_use() > since,
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    return (session.execute(statement).rowcount or 0) > 0


def end_verifications(session: Session, conversation_id: str) -> int:
    """End the conversation's verifications (its session ended): seeing or
    changing a porting needs a new code. Returns how many were still on record."""
    statement = (
        update(VerificationCode)
        .where(
            VerificationCode.conversation_id == conversation_id,
            VerificationCode.consumed_at.is_not(None),
            _last_use() > ENDED,
        )
        .values(last_used_at=ENDED)
        .execution_options(synchronize_session=False)
    )
    return session.execute(statement).rowcount or 0


def _last_use() -> ColumnElement:
    """A verification's last use: `last_used_at`, or the code's use (`consumed_at`)
    when it was never used since."""
    return func.coalesce(VerificationCode.last_used_at, VerificationCode.consumed_at)
