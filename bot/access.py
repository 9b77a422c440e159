"""Customer-area access recovery: single-use links to choose a new password.

A holder (titulaire) logs in with their e-mail: the link goes to that address. A
declared user logs in with the line's number: the link goes by SMS to that line. A
line without a declared user cannot be reached by its number at all (help pages,
"Me connecter à mon Espace Client"); a user can only be added once the line is active.

A link is `{customer_area_url}/reinitialiser?token=<random>.<signature>`: 24 random
bytes and an HMAC-SHA256 (server secret) over the random part, the expiry and the
subject. Only a SHA-256 of the token is stored. A link is valid 30 minutes, once.
Nothing here tells whether an e-mail address is a customer's: the link and the e-mail
are built either way (only a customer's are stored), the same value is returned, an
audit event of the same shape is written, and delivery happens later, through the
outbox. The session is the caller's: nothing here commits.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import audit, outbox
from bot.config import Settings
from bot.db import set_once
from bot.masking import mask_email, mask_msisdn
from bot.messaging.email import compose_email
from bot.models import Channel, Holder, Line, ResetLink, utcnow
from bot.normalize import normalize_email, normalize_phone_number

LINK_MINUTES = 30
MAX_LINKS_PER_HOUR = (
    3  # per holder or per line, so the assistant cannot be used to flood
)
LINK_LIFETIME = timedelta(minutes=LINK_MINUTES)
RESET_PATH = "/reinitialiser"
HOLDER = "holder"
USER = "user"
# token_urlsafe(24): 32 characters; the signature: 43 (32 bytes, base64url).
TOKEN_RE = re.compile(r"([A-Za-z0-9_-]{32})\.([A-Za-z0-9_-]{43})")

RESET_EMAIL_SUBJECT = "{operator_name} : choisissez un nouveau mot de passe"
RESET_EMAIL_BODY = (
    "Bonjour,\n\n"
    "Vous avez demandé à choisir un nouveau mot de passe pour votre Espace Client "
    "{operator_name}. Ouvrez ce lien :\n\n"
    "{link}\n\n"
    "Ce lien est valable {minutes} minutes et ne sert qu'une fois.\n\n"
    "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : "
    "votre mot de passe ne change pas.\n\n"
    "Le Service Client {operator_name}\n"
)
# GSM-7 only, two segments at most (with the default name and customer area URL).
RESET_SMS = (
    "{operator_name} : pour choisir votre mot de passe Espace Client, ouvrez ce "
    "lien valable {minutes} minutes : {link} Si vous n'avez rien demandé, ignorez "
    "ce message."
)


class InvalidEmail(ValueError):
    """What was given as an e-mail address is not one."""


class InvalidPhoneNumber(ValueError):
    """What was given as a line's number is not a French phone number."""


class UserResetOutcome(str, enum.Enum):
    """What became of a declared user's request (say the same for the last two)."""

    SENT = "sent"
    NO_USER_DECLARED = "no_user_declared"
    UNKNOWN_LINE = "unknown_line"
    TOO_MANY_LINKS = "too_many_links"  # MAX_LINKS_PER_HOUR already sent to the line


class ResetSubject(NamedTuple):
    """Whose password a redeemed link lets choose: a holder id or a line's msisdn."""

    kind: str  # HOLDER or USER
    id: str


def request_holder_reset(
    session: Session,
    *,
    email: str,
    settings: Settings,
    conversation_id: str,
    now: datetime | None = None,
) -> None:
    """E-mail a reset link if a holder logs in with `email`; the same answer if not.

    Raises InvalidEmail when `email` is not an e-mail address.
    """
    address = normalize_email(email)
    if address is None:
        raise InvalidEmail("not an e-mail address")
    _check_conversation_id(conversation_id)
    now = _aware(now)
    statement = select(Holder.id).where(Holder.email == address).limit(1)
    holder_id = session.execute(statement).scalar_one_or_none()
    known = holder_id is not None
    # Build the link and the message either way, so both cases cost about the same.
    url, row = _new_link(settings, HOLDER, holder_id or "", now)
    text = compose_email(
        RESET_EMAIL_SUBJECT.format(operator_name=settings.operator_name),
        RESET_EMAIL_BODY.format(
            operator_name=settings.operator_name, link=url, minutes=LINK_MINUTES
        ),
    )
    limited = known and _links_in_last_hour(session, HOLDER, holder_id, now) >= (
        MAX_LINKS_PER_HOUR
    )
    sent = known and not limited
    if sent:
        _queue(session, row, Channel.EMAIL, address, text)
    reason = None if sent else ("too_many_links" if limited else "unknown_email")
    audit.record(
        session,
        actor=f"conversation:{conversation_id}",
        action="reset_link_sent" if sent else "reset_link_not_sent",
        subject=mask_email(address),
        channel="email",
        details={"kind": HOLDER, "reason": reason},
    )


def request_user_reset(
    session: Session,
    *,
    msisdn: str,
    settings: Settings,
    conversation_id: str,
    now: datetime | None = None,
) -> UserResetOutcome:
    """Text a reset link to the line if a user is declared on it; say what happened.

    Raises InvalidPhoneNumber when `msisdn` is not a French phone number.
    """
    number = normalize_phone_number(msisdn)
    if number is None:
        raise InvalidPhoneNumber("not a French phone number")
    _check_conversation_id(conversation_id)
    now = _aware(now)
    line = session.get(Line, number)
    if line is None:
        outcome = UserResetOutcome.UNKNOWN_LINE
    elif line.user is None:
        outcome = UserResetOutcome.NO_USER_DECLARED
    elif _links_in_last_hour(session, USER, number, now) >= MAX_LINKS_PER_HOUR:
        outcome = UserResetOutcome.TOO_MANY_LINKS
    else:
        outcome = UserResetOutcome.SENT
        url, row = _new_link(settings, USER, number, now)
        text = RESET_SMS.format(
            operator_name=settings.operator_name, link=url, minutes=LINK_MINUTES
        )
        _queue(session, row, Channel.SMS, number, text)
    sent = outcome is UserResetOutcome.SENT
    audit.record(
        session,
        actor=f"conversation:{conversation_id}",
        action="reset_link_sent" if sent else "reset_link_not_sent",
        subject=mask_msisdn(number),
        channel="sms",
        details={"kind": USER, "reason": None if sent else outcome.value},
    )
    return outcome


def _links_in_last_hour(
    session: Session, kind: str, subject_id: str, now: datetime
) -> int:
    """How many links this subject received in the last hour (a flood guard)."""
    statement = select(func.count()).where(
        ResetLink.subject_kind == kind,
        ResetLink.subject_id == subject_id,
        ResetLink.created_at > now - timedelta(hours=1),
    )
    return session.execute(statement).scalar_one()


def redeem_reset_link(
    session: Session, *, token: str, settings: Settings, now: datetime | None = None
) -> ResetSubject | None:
    """Use a link's token once: return whose password it resets, or None."""
    now = _aware(now)
    match = TOKEN_RE.fullmatch(token.strip())
    if match is None:
        return None
    statement = select(ResetLink).where(ResetLink.token_hash == _hash(match[0]))
    row = session.execute(statement).scalar_one_or_none()
    if row is None:
        return None
    expected = _sign(
        settings, match[1], row.expires_at, row.subject_kind, row.subject_id
    )
    if not hmac.compare_digest(expected, match[2]):
        reason: str | None = "bad_signature"
    elif row.used_at is not None:
        reason = "already_used"
    elif now >= row.expires_at:
        reason = "expired"
    else:
        reason = None if set_once(session, row, "used_at", now) else "already_used"
    audit.record(
        session,
        actor="customer_area",
        action="reset_link_redeemed" if reason is None else "reset_link_refused",
        subject=_subject_label(row),
        channel="web",
        details={"kind": row.subject_kind, "reason": reason},
    )
    return ResetSubject(row.subject_kind, row.subject_id) if reason is None else None


def _new_link(
    settings: Settings, kind: str, subject_id: str, now: datetime
) -> tuple[str, ResetLink]:
    """Return the URL of a fresh token and the row that stores only its hash."""
    random_part = secrets.token_urlsafe(24)
    expires_at = now + LINK_LIFETIME
    signature = _sign(settings, random_part, expires_at, kind, subject_id)
    token = f"{random_part}.{signature}"
    row = ResetLink(
        token_hash=_hash(token),
        subject_kind=kind,
        subject_id=subject_id,
        created_at=now,
        expires_at=expires_at,
        used_at=None,
    )
    url = f"{settings.customer_area_url.rstrip('/')}{RESET_PATH}?token={token}"
    return url, row


def _queue(
    session: Session, row: ResetLink, channel: Channel, to: str, text: str
) -> None:
    """Store the link and queue the message that carries it."""
    session.add(row)
    key = f"reset_link:{row.token_hash[:32]}"
    outbox.enqueue(session, channel=channel, to=to, text=text, idempotency_key=key)


def _sign(
    settings: Settings,
    random_part: str,
    expires_at: datetime,
    kind: str,
    subject_id: str,
) -> str:
    """Return the base64url HMAC-SHA256 binding a token to its expiry and subject."""
    expiry = int(expires_at.timestamp())
    message = f"reset_link|{random_part}|{expiry}|{kind}|{subject_id}"
    digest = hmac.new(settings.server_secret(), message.encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_conversation_id(conversation_id: str) -> None:
    if not conversation_id.strip():
        raise ValueError("a reset request needs the conversation id")


def _aware(now: datetime | None) -> datetime:
    if now is None:
        return utcnow()
    if now.tzinfo is None:
        raise ValueError(f"naive datetime {now!r}: give a timezone-aware value")
    return now


def _subject_label(row: ResetLink) -> str:
    if row.subject_kind == USER:
        return mask_msisdn(row.subject_id)
    return f"holder:{row.subject_id}"
