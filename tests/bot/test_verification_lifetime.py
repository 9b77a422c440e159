"""How long a verification lasts: 15 minutes without use, ended by a new session,
for the conversation and number that typed the code only."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.models import VerificationCode, utcnow
from bot.verification_lifetime import (
    VERIFICATION_IDLE,
    _last_use,
    end_verifications,
    is_verified,
)
from tests.bot.verification_setup import (
    CONVERSATION,
    NOW,
    NUMBER,
    OTHER_NUMBER,
    check,
    last_use,
    seeded,
    send,
    verified,
)


@pytest.fixture
def session(db_session):
    return seeded(db_session)


def test_a_verified_conversation_is_verified_for_that_number_only(session):
    assert not verified(session, NOW)
    check(session, send(session))
    assert verified(session, NOW, number="06 12 34 56 78")
    assert not verified(session, NOW, conversation="conv-2")
    assert not verified(session, NOW, number=OTHER_NUMBER)


def test_the_idle_limit_is_the_session_s_15_minutes():
    assert VERIFICATION_IDLE == timedelta(minutes=15)


def test_a_verification_lasts_until_15_minutes_without_use(session):
    check(session, send(session))  # consumed at NOW
    assert last_use(session) is None
    assert verified(session, NOW + timedelta(minutes=14, seconds=59))
    # That use was activity: the 15 minutes count from it now.
    assert last_use(session) == NOW + timedelta(minutes=14, seconds=59)
    assert verified(session, NOW + timedelta(minutes=29, seconds=58))
    assert not verified(session, NOW + timedelta(minutes=44, seconds=59))
    # A refusal is no use: the verification stays over.
    assert last_use(session) == NOW + timedelta(minutes=29, seconds=58)
    assert not verified(session, NOW + timedelta(minutes=45))


def test_15_minutes_and_a_second_after_the_code_without_use_is_too_late(session):
    check(session, send(session))
    assert not verified(session, NOW + timedelta(minutes=15, seconds=1))
    assert not verified(session, NOW + timedelta(minutes=15))  # "less than" 15
    assert last_use(session) is None


def test_a_code_consumed_long_ago_but_used_since_still_verifies(session):
    check(session, send(session))
    for minutes in range(10, 121, 10):  # two hours of a conversation
        assert verified(session, NOW + timedelta(minutes=minutes)), minutes
    assert last_use(session) == NOW + timedelta(minutes=120)
    assert not verified(session, NOW + timedelta(minutes=135, seconds=1))


def test_another_conversation_of_the_same_number_is_never_verified(session):
    check(session, send(session))
    assert verified(session, NOW + timedelta(minutes=1))
    for at in (NOW, NOW + timedelta(minutes=1), NOW + timedelta(minutes=2)):
        assert not verified(session, at, conversation="conv-2")
        assert not verified(session, at, number=OTHER_NUMBER)


def test_after_the_verification_lapsed_a_new_code_verifies_again(session):
    check(session, send(session))
    later = NOW + timedelta(minutes=40)
    assert not verified(session, later)
    check(session, send(session, at=later), at=later)
    assert verified(session, later + timedelta(minutes=14))


def test_a_new_session_ends_the_conversation_s_verification(session):
    check(session, send(session))
    assert verified(session, NOW + timedelta(minutes=1))
    assert end_verifications(session, CONVERSATION) == 1
    assert not verified(session, NOW + timedelta(minutes=2))
    assert end_verifications(session, CONVERSATION) == 0  # nothing left to end
    # A new code verifies again, within the same 15 minutes.
    later = NOW + timedelta(minutes=3)
    check(session, send(session, at=later), at=later)
    assert verified(session, later + timedelta(minutes=1))


def test_ending_a_session_leaves_other_conversations_verified(session):
    check(session, send(session))
    check(session, send(session, conversation="conv-2"), conversation="conv-2")
    end_verifications(session, CONVERSATION)
    assert not verified(session, NOW + timedelta(minutes=1))
    assert verified(session, NOW + timedelta(minutes=1), conversation="conv-2")


def test_the_last_use_is_the_code_s_use_until_the_verification_is_used(session):
    # One reading of the last use, for both is_verified and end_verifications.
    def last_uses() -> list[datetime | None]:
        statement = select(_last_use()).order_by(VerificationCode.id)
        return list(session.execute(statement).scalars())

    check(session, send(session))  # consumed at NOW
    send(session, conversation="conv-2")  # never typed
    assert last_uses() == [NOW, None]
    verified(session, NOW + timedelta(minutes=5))
    assert last_uses() == [NOW + timedelta(minutes=5), None]


def test_a_verification_on_the_session_s_clock_without_now(session):
    # Callers in actions/ give no time: the verification is counted from now.
    code = send(session, at=utcnow())
    check(session, code, at=utcnow())
    assert is_verified(session, msisdn=NUMBER, conversation_id=CONVERSATION)
    assert not is_verified(
        session,
        msisdn=NUMBER,
        conversation_id=CONVERSATION,
        now=utcnow() + VERIFICATION_IDLE + timedelta(seconds=1),
    )
