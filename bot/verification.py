"""One-time SMS codes that prove a conversation holds the phone number being ported.

A code is 6 digits from `secrets`, valid 10 minutes, used once and stored only as an
HMAC-SHA256 keyed with the server secret. A code allows 3 tries; a number receives at
most 3 codes in any rolling hour. How long the verification a code gives lasts is
`bot.verification_lifetime`'s.
Nothing here tells whether a number is a customer's: an unknown number gets a code
row (and the same limits) but no SMS, and the caller says the same thing either way.
The session is the caller's: nothing here commits.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot import audit, outbox
from bot.config import Settings
from bot.db import set_once
from bot.masking import mask_msisdn
from bot.models import Channel, Line, VerificationCode, utcnow
from bot.normalize import normalize_otp_code, normalize_phone_number

CODE_DIGITS = 6
CODE_LIFETIME = timedelta(minutes=10)
MAX_ATTEMPTS = 3
MAX_CODES_PER_WINDOW = 3
CODES_WINDOW = timedelta(hours=1)
MAX_CONVERSATION_ID_LENGTH = 200

# One GSM-7 segment (at most 160 characters) with the default operator name.
CODE_SMS = (
    "{operator_name} : votre code de vérification est {code}. "
    "Il est valable {minutes} minutes. Ne le communiquez à personne."
)

AUDIT_CHANNEL = "sms"


class CheckResult(str, enum.Enum):
    """What became of a code the customer typed."""

    VERIFIED = "verified"
    WRONG = "wrong"  # attempts left in CodeCheck.attempts_left
    EXPIRED = "expired"
    LOCKED = "locked"  # 3 wrong tries: a new code is needed
    NO_CODE = "no_code"


@dataclass(frozen=True)
class CodeCheck:
    """The result of a check, with the tries left on the code (for WRONG)."""

    result: CheckResult
    attempts_left: int = 0


class TooManyCodes(Exception):
    """The number already received the most codes allowed in the last hour."""

    def __init__(self, retry_after: datetime) -> None:
        super().__init__(f"too many codes for this number; retry after {retry_after}")
        self.retry_after = retry_after


def send_code(
    session: Session,
    *,
    msisdn: str,
    conversation_id: str,
    settings: Settings,
    now: datetime | None = None,
) -> str | None:
    """Create a code for the number; return it if an SMS was queued, else None.

    The return value is for tests and for telling apart the two cases; never log it,
    never show it, and say the same thing to the customer whatever it is.
    Raises TooManyCodes when the number had its codes for the rolling hour.
    """
    msisdn = _national_number(msisdn)
    _check_conversation_id(conversation_id)
    now = aware_now(now)
    _check_rate(session, msisdn, now)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    row = VerificationCode(
        msisdn=msisdn,
        conversation_id=conversation_id,
        code_hash=_hash(settings, msisdn, conversation_id, code),
        created_at=now,
        expires_at=now + CODE_LIFETIME,
        attempts=0,
        consumed_at=None,
    )
    session.add(row)
    session.flush()  # gives the row its id, for the idempotency key
    queued = _is_customer_number(session, msisdn)
    if queued:
        text = CODE_SMS.format(
            operator_name=settings.operator_name,
            code=code,
            minutes=int(CODE_LIFETIME.total_seconds() // 60),
        )
        outbox.enqueue(
            session,
            channel=Channel.SMS,
            to=msisdn,
            text=text,
            idempotency_key=f"verification_code:{row.id}:{row.code_hash[:16]}",
        )
        _audit(session, "verification_code_sent", row, {"code_id": row.id})
    else:
        details = {"code_id": row.id, "reason": "unknown_number"}
        _audit(session, "verification_code_not_sent", row, details)
    return code if queued else None


def check_code(
    session: Session,
    *,
    msisdn: str,
    conversation_id: str,
    code: str,
    settings: Settings,
    now: datetime | None = None,
) -> CodeCheck:
    """Check a typed code against the latest code of this number and conversation."""
    msisdn = _national_number(msisdn)
    now = aware_now(now)
    row = _latest_code(session, msisdn, conversation_id)
    if row is None or row.consumed_at is not None:
        return CodeCheck(CheckResult.NO_CODE)
    if row.attempts >= MAX_ATTEMPTS:
        return CodeCheck(CheckResult.LOCKED)
    if now >= row.expires_at:
        return CodeCheck(CheckResult.EXPIRED)
    # Take a try before comparing, so that concurrent tries cannot exceed the limit.
    if not _take_a_try(session, row):  # another request took the last try or used it
        return CodeCheck(
            CheckResult.NO_CODE if row.consumed_at is not None else CheckResult.LOCKED
        )
    typed = normalize_otp_code(code) or ""
    expected = _hash(settings, msisdn, conversation_id, typed)
    if hmac.compare_digest(expected, row.code_hash):
        if not set_once(session, row, "consumed_at", now):
            return CodeCheck(CheckResult.NO_CODE)
        _audit(session, "verification_succeeded", row, {"code_id": row.id})
        return CodeCheck(CheckResult.VERIFIED)
    left = max(MAX_ATTEMPTS - row.attempts, 0)
    details = {"code_id": row.id, "attempts": row.attempts}
    if left == 0:
        _audit(session, "verification_locked", row, details)
        return CodeCheck(CheckResult.LOCKED)
    _audit(session, "verification_failed", row, details)
    return CodeCheck(CheckResult.WRONG, attempts_left=left)


def pending_number(session: Session, conversation_id: str) -> str | None:
    """The number this conversation last asked a code for, if not yet verified."""
    statement = (
        select(VerificationCode.msisdn, VerificationCode.consumed_at)
        .where(VerificationCode.conversation_id == conversation_id)
        .order_by(VerificationCode.id.desc())
        .limit(1)
    )
    row = session.execute(statement).first()
    return row.msisdn if row is not None and row.consumed_at is None else None


def _national_number(msisdn: str) -> str:
    number = normalize_phone_number(msisdn)
    if number is None:
        raise ValueError(f"not a French phone number: {mask_msisdn(msisdn)!r}")
    return number


def _check_conversation_id(conversation_id: str) -> None:
    if not conversation_id or len(conversation_id) > MAX_CONVERSATION_ID_LENGTH:
        raise ValueError(
            f"a conversation id has 1 to {MAX_CONVERSATION_ID_LENGTH} characters"
        )


def aware_now(now: datetime | None) -> datetime:
    """`now`, or the current time when None; a naive datetime is refused."""
    if now is None:
        return utcnow()
    if now.tzinfo is None:
        raise ValueError(f"naive datetime {now!r}: give a timezone-aware value")
    return now


def _hash(settings: Settings, msisdn: str, conversation_id: str, code: str) -> str:
    """Return the HMAC-SHA256 (hex) of a code, bound to its number and conversation."""
    message = f"{msisdn}|{conversation_id}|{code}".encode()
    return hmac.new(settings.server_secret(), message, hashlib.sha256).hexdigest()


def _check_rate(session: Session, msisdn: str, now: datetime) -> None:
    statement = (
        select(VerificationCode.created_at)
        .where(
            VerificationCode.msisdn == msisdn,
            VerificationCode.created_at > now - CODES_WINDOW,
        )
        .order_by(VerificationCode.created_at)
    )
    recent = list(session.execute(statement).scalars())
    if len(recent) >= MAX_CODES_PER_WINDOW:
        # Once the oldest codes leave the window, one fewer than the maximum remain.
        oldest_to_leave = recent[len(recent) - MAX_CODES_PER_WINDOW]
        raise TooManyCodes(oldest_to_leave + CODES_WINDOW)


def _is_customer_number(session: Session, msisdn: str) -> bool:
    statement = select(Line.msisdn).where(Line.msisdn == msisdn).limit(1)
    return session.execute(statement).first() is not None


def _latest_code(
    session: Session, msisdn: str, conversation_id: str
) -> VerificationCode | None:
    statement = (
        select(VerificationCode)
        .where(
            VerificationCode.msisdn == msisdn,
            VerificationCode.conversation_id == conversation_id,
        )
        .order_by(VerificationCode.created_at.desc(), VerificationCode.id.desc())
        .limit(1)
    )
    return session.execute(statement).scalar_one_or_none()


def _take_a_try(session: Session, row: VerificationCode) -> bool:
    """Count one try on the code in the database; False if none was left."""
    statement = (
        update(VerificationCode)
        .where(
            VerificationCode.id == row.id,
            VerificationCode.attempts < MAX_ATTEMPTS,
            VerificationCode.consumed_at.is_(None),
        )
        .values(attempts=VerificationCode.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    taken = session.execute(statement).rowcount == 1
    session.refresh(row)
    return taken


def _audit(
    session: Session, action: str, row: VerificationCode, details: dict[str, Any]
) -> None:
    audit.record(
        session,
        actor=f"conversation:{row.conversation_id}",
        action=action,
        subject=mask_msisdn(row.msisdn),
        channel=AUDIT_CHANNEL,
        details=details,
    )
