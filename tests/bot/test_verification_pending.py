"""The number a conversation is waiting to verify: the last one it asked a code for."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from bot.config import DEFAULT_FIXTURE, Settings
from bot.seed import load_fixture, seed
from bot.verification import (
    MAX_ATTEMPTS,
    CheckResult,
    check_code,
    pending_number,
    send_code,
)

NOW = datetime(2026, 5, 20, 8, 0, tzinfo=timezone.utc)
NUMBER = "0612345678"  # customers' lines in the demo data
OTHER_NUMBER = "0623456789"
UNKNOWN_NUMBER = "0699999999"
CONVERSATION = "conv-pending"
SETTINGS = Settings(secret_key="test")


@pytest.fixture
def session(db_session):
    """The test database with the demo customers in it."""
    seed(db_session, load_fixture(DEFAULT_FIXTURE), date(2026, 5, 20))
    db_session.flush()
    return db_session


def send(
    session, number: str = NUMBER, conversation: str = CONVERSATION, at=NOW
) -> str | None:
    return send_code(
        session, msisdn=number, conversation_id=conversation, settings=SETTINGS, now=at
    )


def check(
    session,
    code: str,
    number: str = NUMBER,
    conversation: str = CONVERSATION,
    at=NOW,
) -> CheckResult:
    return check_code(
        session,
        msisdn=number,
        conversation_id=conversation,
        code=code,
        settings=SETTINGS,
        now=at,
    ).result


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_a_conversation_that_asked_no_code_waits_for_no_number(session):
    assert pending_number(session, CONVERSATION) is None


@pytest.mark.parametrize("typed", ["0612345678", "+33 6 12 34 56 78", "06.12.34.56.78"])
def test_the_number_a_code_was_sent_to_is_pending_in_national_form(session, typed):
    send(session, number=typed)
    assert pending_number(session, CONVERSATION) == NUMBER


def test_the_last_number_asked_for_is_the_pending_one(session):
    send(session, number=NUMBER)
    send(session, number=OTHER_NUMBER, at=NOW + timedelta(minutes=1))
    assert pending_number(session, CONVERSATION) == OTHER_NUMBER


def test_once_the_code_is_typed_right_no_number_is_pending(session):
    code = send(session)
    assert check(session, code) is CheckResult.VERIFIED
    assert pending_number(session, CONVERSATION) is None


def test_a_wrong_code_leaves_the_number_pending(session):
    code = send(session)
    assert check(session, wrong(code)) is CheckResult.WRONG
    assert pending_number(session, CONVERSATION) == NUMBER


def test_an_expired_or_locked_code_still_leaves_its_number_pending(session):
    code = send(session)
    later = NOW + timedelta(minutes=11)
    assert check(session, code, at=later) is CheckResult.EXPIRED
    assert pending_number(session, CONVERSATION) == NUMBER
    other = send(session, number=OTHER_NUMBER)
    for _ in range(MAX_ATTEMPTS):
        check(session, wrong(other), number=OTHER_NUMBER)
    assert check(session, other, number=OTHER_NUMBER) is CheckResult.LOCKED
    assert pending_number(session, CONVERSATION) == OTHER_NUMBER


def test_a_new_code_after_a_verified_one_makes_its_number_pending(session):
    code = send(session, number=NUMBER)
    assert check(session, code) is CheckResult.VERIFIED
    send(session, number=OTHER_NUMBER, at=NOW + timedelta(minutes=2))
    assert pending_number(session, CONVERSATION) == OTHER_NUMBER


def test_a_number_verified_after_a_later_request_leaves_nothing_pending(session):
    send(session, number=OTHER_NUMBER)
    code = send(session, number=NUMBER, at=NOW + timedelta(minutes=1))
    verified = check(session, code, number=NUMBER, at=NOW + timedelta(minutes=2))
    assert verified is CheckResult.VERIFIED
    assert pending_number(session, CONVERSATION) is None


def test_an_unknown_number_is_pending_like_a_customers(session):
    assert send(session, number=UNKNOWN_NUMBER) is None  # no SMS, same answer
    assert pending_number(session, CONVERSATION) == UNKNOWN_NUMBER


def test_each_conversation_has_its_own_pending_number(session):
    send(session, number=NUMBER, conversation="conv-a")
    send(session, number=OTHER_NUMBER, conversation="conv-b")
    assert pending_number(session, "conv-a") == NUMBER
    assert pending_number(session, "conv-b") == OTHER_NUMBER
    assert pending_number(session, CONVERSATION) is None


def test_verifying_in_one_conversation_leaves_another_pending(session):
    first = send(session, conversation="conv-a")
    send(session, conversation="conv-b", at=NOW + timedelta(minutes=1))
    assert check(session, first, conversation="conv-a") is CheckResult.VERIFIED
    assert pending_number(session, "conv-a") is None
    assert pending_number(session, "conv-b") == NUMBER
