"""The number a conversation is waiting to verify: the last one it asked a code for."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.verification import MAX_ATTEMPTS, CheckResult, pending_number
from tests.bot import verification_setup
from tests.bot.verification_setup import (
    CONVERSATION,
    NOW,
    NUMBER,
    OTHER_NUMBER,
    UNKNOWN_NUMBER,
    seeded,
    send,
)


@pytest.fixture
def session(db_session):
    """The test database with the demo customers in it."""
    return seeded(db_session)


def check(session, code: str, **given) -> CheckResult:
    return verification_setup.check(session, code, **given).result


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
