"""One-time SMS codes: sending, hashing, checking, limits and randomness."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.models import AuditEvent, Channel, OutboxMessage, VerificationCode
from bot.verification import (
    CODE_SMS,
    CheckResult,
    CodeCheck,
    TooManyCodes,
)
from bot.verification_lifetime import is_verified
from tests.bot.verification_setup import (
    CONVERSATION,
    NOW,
    NUMBER,
    OTHER_NUMBER,
    UNKNOWN_NUMBER,
    check,
    seeded,
    send,
    verified,
)

# GSM 03.38 basic character set (one 7-bit character each).
GSM_7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


@pytest.fixture
def session(db_session):
    return seeded(db_session)


def wrong(code: str) -> str:
    """Return another 6-digit code."""
    return f"{(int(code) + 1) % 1_000_000:06d}"


def rows(session, model) -> list:
    return list(session.execute(select(model).order_by(model.id)).scalars())


def test_a_code_is_six_digits_and_only_its_keyed_hash_is_stored(session):
    code = send(session)
    (row,) = rows(session, VerificationCode)
    assert len(code) == 6 and code.isdigit()
    message = f"{NUMBER}|{CONVERSATION}|{code}".encode()
    assert row.code_hash == hmac.new(b"test", message, hashlib.sha256).hexdigest()
    stored = [str(getattr(row, column.key)) for column in row.__table__.columns]
    assert not any(code in value for value in stored)
    assert (row.msisdn, row.conversation_id, row.attempts) == (NUMBER, CONVERSATION, 0)
    assert (row.created_at, row.expires_at) == (NOW, NOW + timedelta(minutes=10))
    assert row.consumed_at is None


def test_the_hash_depends_on_the_server_secret(session):
    code = send(session)
    other = Settings(secret_key="another secret")
    result = check(session, code, settings=other)
    assert result == CodeCheck(CheckResult.WRONG, attempts_left=2)


def test_the_sms_with_the_code_is_queued_for_the_number(session):
    code = send(session, number="+33 6 12 34 56 78")
    (row,) = rows(session, VerificationCode)
    (message,) = rows(session, OutboxMessage)
    assert (message.channel, message.to) == (Channel.SMS, NUMBER)
    assert message.text == (
        f"Auchan Télécom : votre code de vérification est {code}. "
        "Il est valable 10 minutes. Ne le communiquez à personne."
    )
    assert message.idempotency_key.startswith(f"verification_code:{row.id}:")


def test_the_sms_fits_one_gsm_segment():
    text = CODE_SMS.format(operator_name="Auchan Télécom", code="482913", minutes=10)
    assert len(text) <= 160
    assert set(text) <= GSM_7


def test_sending_a_code_is_audited_with_the_number_masked(session):
    code = send(session)
    (event,) = rows(session, AuditEvent)
    assert (event.action, event.subject) == ("verification_code_sent", "06 xx xx xx 78")
    assert (event.actor, event.channel) == (f"conversation:{CONVERSATION}", "sms")
    assert code not in str(event.details) and NUMBER not in str(event.details)


def test_an_unknown_number_gets_no_sms_but_the_same_rows_and_limits(
    session, monkeypatch
):
    monkeypatch.setattr(secrets, "randbelow", lambda upper: 42)
    for minutes in (0, 1, 2):
        at = NOW + timedelta(minutes=minutes)
        assert send(session, number=UNKNOWN_NUMBER, at=at) is None
    assert rows(session, OutboxMessage) == []
    assert len(rows(session, VerificationCode)) == 3
    actions = {event.action for event in rows(session, AuditEvent)}
    assert actions == {"verification_code_not_sent"}
    with pytest.raises(TooManyCodes):
        send(session, number=UNKNOWN_NUMBER, at=NOW + timedelta(minutes=3))
    result = check(session, "000043", number=UNKNOWN_NUMBER)
    assert result == CodeCheck(CheckResult.WRONG, 2)


def test_the_right_code_verifies_once_then_there_is_no_code(session):
    code = send(session)
    assert check(session, code) == CodeCheck(CheckResult.VERIFIED)
    assert rows(session, VerificationCode)[0].consumed_at == NOW
    assert check(session, code) == CodeCheck(CheckResult.NO_CODE)
    actions = [event.action for event in rows(session, AuditEvent)]
    assert actions == ["verification_code_sent", "verification_succeeded"]


def test_a_code_typed_with_a_space_is_accepted(session):
    code = send(session)
    assert check(session, f"{code[:3]} {code[3:]}").result is CheckResult.VERIFIED


def test_wrong_codes_count_down_the_attempts_left(session):
    code = send(session)
    assert check(session, wrong(code)) == CodeCheck(CheckResult.WRONG, 2)
    assert check(session, "pas un code") == CodeCheck(CheckResult.WRONG, 1)
    assert rows(session, VerificationCode)[0].attempts == 2
    assert check(session, code).result is CheckResult.VERIFIED


def test_the_third_wrong_code_locks_and_even_the_right_code_is_refused_after(session):
    code = send(session)
    results = [check(session, wrong(code)).result for _ in range(3)]
    assert results == [CheckResult.WRONG, CheckResult.WRONG, CheckResult.LOCKED]
    assert check(session, code) == CodeCheck(CheckResult.LOCKED)
    assert rows(session, VerificationCode)[0].attempts == 3
    assert not is_verified(session, msisdn=NUMBER, conversation_id=CONVERSATION)
    actions = [event.action for event in rows(session, AuditEvent)]
    assert actions[1:] == ["verification_failed"] * 2 + ["verification_locked"]


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (timedelta(minutes=9, seconds=59), CheckResult.VERIFIED),
        (timedelta(minutes=10), CheckResult.EXPIRED),
        (timedelta(hours=2), CheckResult.EXPIRED),
    ],
)
def test_a_code_is_valid_for_ten_minutes(session, after, expected):
    code = send(session)
    assert check(session, code, at=NOW + after).result is expected


def test_an_expired_code_counts_no_try(session):
    code = send(session)
    check(session, wrong(code), at=NOW + timedelta(minutes=10))
    assert rows(session, VerificationCode)[0].attempts == 0


def test_a_fourth_code_within_an_hour_is_refused_with_the_time_to_retry(session):
    for minutes in (0, 10, 20):
        send(session, at=NOW + timedelta(minutes=minutes))
    with pytest.raises(TooManyCodes) as refused:
        send(session, at=NOW + timedelta(minutes=59, seconds=59))
    assert refused.value.retry_after == NOW + timedelta(hours=1)
    assert len(rows(session, VerificationCode)) == 3
    assert len(rows(session, OutboxMessage)) == 3


def test_codes_can_be_sent_again_as_the_rolling_hour_passes(session):
    for minutes in (0, 10, 20):
        send(session, at=NOW + timedelta(minutes=minutes))
    assert send(session, at=NOW + timedelta(hours=1)) is not None
    with pytest.raises(TooManyCodes) as refused:
        send(session, at=NOW + timedelta(minutes=61))
    assert refused.value.retry_after == NOW + timedelta(minutes=70)


def test_the_limit_counts_the_codes_of_every_conversation_for_the_number(session):
    for conversation in ("a", "b", "c"):
        send(session, conversation=conversation)
    with pytest.raises(TooManyCodes):
        send(session, conversation="d")
    assert send(session, number=OTHER_NUMBER, conversation="d") is not None


@pytest.mark.parametrize(
    ("number", "conversation"),
    [(NUMBER, "conv-2"), (OTHER_NUMBER, CONVERSATION), (OTHER_NUMBER, "conv-2")],
)
def test_a_code_does_not_verify_another_conversation_or_number(
    session, number, conversation
):
    code = send(session)
    result = check(session, code, number=number, conversation=conversation)
    assert result == CodeCheck(CheckResult.NO_CODE)
    assert not verified(session, NOW, number=number, conversation=conversation)
    assert check(session, code).result is CheckResult.VERIFIED


def test_a_new_code_supersedes_the_old_one(session, monkeypatch):
    codes = iter([111111, 222222])
    monkeypatch.setattr(secrets, "randbelow", lambda upper: next(codes))
    old = send(session)
    new = send(session, at=NOW + timedelta(minutes=1))
    assert check(session, old) == CodeCheck(CheckResult.WRONG, 2)
    assert check(session, new).result is CheckResult.VERIFIED
    assert check(session, old).result is CheckResult.NO_CODE


def test_codes_come_from_the_secrets_module(session, monkeypatch):
    calls = []
    monkeypatch.setattr(secrets, "randbelow", lambda upper: calls.append(upper) or 42)
    assert send(session) == "000042"
    assert calls == [1_000_000]
    assert "000042" in rows(session, OutboxMessage)[0].text


def test_codes_are_random(session):
    codes = {send(session, at=NOW + timedelta(hours=hour)) for hour in range(10)}
    assert len(codes) > 1
    assert all(len(code) == 6 and code.isdigit() for code in codes)


def test_nothing_is_committed_by_the_module(session):
    check(session, send(session))
    session.rollback()
    count = select(func.count()).select_from(VerificationCode)
    assert session.execute(count).scalar_one() == 0


@pytest.mark.parametrize("number", ["12345", "", "0012345678"])
def test_a_number_that_is_not_french_is_refused(session, number):
    with pytest.raises(ValueError):
        send(session, number=number)


@pytest.mark.parametrize("conversation", ["", "x" * 201])
def test_a_conversation_id_must_fit_the_column(session, conversation):
    with pytest.raises(ValueError):
        send(session, conversation=conversation)


def test_a_naive_now_is_refused(session):
    with pytest.raises(ValueError):
        send(session, at=datetime(2026, 5, 20, 8, 0))
