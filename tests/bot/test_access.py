"""Access recovery: reset links by e-mail and SMS, signed, hashed, single use."""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from bot.access import (
    RESET_SMS,
    TOKEN_RE,
    InvalidEmail,
    InvalidPhoneNumber,
    ResetSubject,
    UserResetOutcome,
    redeem_reset_link,
    request_holder_reset,
    request_user_reset,
)
from bot.config import DEFAULT_FIXTURE, ConfigError, Settings
from bot.messaging.email import split_email
from bot.models import AuditEvent, Channel, OutboxMessage, ResetLink
from bot.seed import load_fixture, seed
from bot.sms import segments, to_gsm7

NOW = datetime(2026, 5, 20, 8, 0, tzinfo=timezone.utc)
HOLDER_EMAIL = "marie.dupont@example.fr"  # holder C1001 in the demo data
UNKNOWN_EMAIL = "inconnu@example.fr"
USER_LINE = "0612345678"  # Lucas Dupont is declared on it
LINE_WITHOUT_USER = "0623456789"
UNKNOWN_LINE = "0699999999"
SETTINGS = Settings(secret_key="test")
LINK_RE = re.compile(
    re.escape(SETTINGS.customer_area_url) + r"/reinitialiser\?token=(\S+)"
)


@pytest.fixture
def session(db_session):
    """The test database with the demo customers in it."""
    seed(db_session, load_fixture(DEFAULT_FIXTURE), date(2026, 5, 20))
    db_session.flush()
    return db_session


def rows(session, model) -> list:
    return list(session.execute(select(model).order_by(model.id)).scalars())


def ask_by_email(session, email: str = HOLDER_EMAIL, settings=SETTINGS) -> None:
    return request_holder_reset(
        session, email=email, settings=settings, conversation_id="conv-1", now=NOW
    )


def ask_by_line(session, msisdn: str = USER_LINE) -> UserResetOutcome:
    return request_user_reset(
        session, msisdn=msisdn, settings=SETTINGS, conversation_id="conv-1", now=NOW
    )


def redeem(session, token: str, at: datetime = NOW, settings=SETTINGS):
    return redeem_reset_link(session, token=token, settings=settings, now=at)


def sent_token(session) -> str:
    """The token in the link of the last queued message."""
    [token] = LINK_RE.findall(rows(session, OutboxMessage)[-1].text)
    return token


def test_a_known_and_an_unknown_address_get_the_same_answer_and_audit_shape(session):
    assert ask_by_email(session, HOLDER_EMAIL) is None
    assert ask_by_email(session, UNKNOWN_EMAIL) is None
    known, unknown = rows(session, AuditEvent)
    assert (known.action, unknown.action) == ("reset_link_sent", "reset_link_not_sent")
    for event in (known, unknown):
        assert event.actor == "conversation:conv-1"
        assert event.channel == "email"
        assert set(event.details) == {"kind", "reason"}
    assert (known.subject, unknown.subject) == ("m…@example.fr", "i…@example.fr")
    assert unknown.details == {"kind": "holder", "reason": "unknown_email"}


def test_only_a_holders_address_gets_an_email_and_a_link(session):
    ask_by_email(session, UNKNOWN_EMAIL)
    assert rows(session, OutboxMessage) == []
    assert rows(session, ResetLink) == []
    ask_by_email(session, "  Marie.Dupont@Example.FR ")
    [message] = rows(session, OutboxMessage)
    assert (message.channel, message.to) == (Channel.EMAIL, HOLDER_EMAIL)
    [link] = rows(session, ResetLink)
    assert (link.subject_kind, link.subject_id) == ("holder", "C1001")
    assert (link.created_at, link.expires_at) == (NOW, NOW + timedelta(minutes=30))


def test_the_email_has_a_subject_a_greeting_the_link_and_the_warnings(session):
    ask_by_email(session, settings=Settings(secret_key="test", operator_name="Mobi"))
    subject, body = split_email(rows(session, OutboxMessage)[0].text)
    assert subject.startswith("Mobi")
    assert body.startswith("Bonjour,")
    assert LINK_RE.search(body)
    assert "valable 30 minutes" in body
    assert "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message" in body
    assert "Mobi" in body


def test_the_emailed_link_redeems_once(session):
    ask_by_email(session)
    token = sent_token(session)
    assert TOKEN_RE.fullmatch(token)
    assert redeem(session, token) == ResetSubject("holder", "C1001")
    assert redeem(session, token) is None
    [link] = rows(session, ResetLink)
    assert link.used_at == NOW
    *_, used, again = rows(session, AuditEvent)
    assert (used.action, used.subject) == ("reset_link_redeemed", "holder:C1001")
    assert (again.action, again.details["reason"]) == (
        "reset_link_refused",
        "already_used",
    )


def test_only_a_hash_of_the_token_is_stored(session):
    ask_by_email(session)
    token = sent_token(session)
    [link] = rows(session, ResetLink)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (link.token_hash, link.subject_id)


def test_each_request_gets_its_own_token(session):
    ask_by_email(session)
    ask_by_email(session)
    first, second = (LINK_RE.findall(m.text)[0] for m in rows(session, OutboxMessage))
    assert first != second


@pytest.mark.parametrize(
    ("after", "valid"),
    [
        (timedelta(0), True),
        (timedelta(minutes=29, seconds=59), True),
        (timedelta(minutes=30), False),
        (timedelta(days=1), False),
    ],
)
def test_a_link_is_valid_for_thirty_minutes(session, after, valid):
    ask_by_email(session)
    subject = redeem(session, sent_token(session), at=NOW + after)
    assert (subject is not None) is valid
    if not valid:
        assert rows(session, AuditEvent)[-1].details["reason"] == "expired"


def flip(text: str, index: int) -> str:
    """Change one character of `text`, keeping it in the token alphabet."""
    return text[:index] + ("A" if text[index] != "A" else "B") + text[index + 1 :]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: flip(token, 0),  # random part
        lambda token: flip(token, len(token) - 1),  # signature
        lambda token: token[:-1],
        lambda token: token + "A",
        lambda token: token.split(".")[0],
        lambda token: "",
        lambda token: "x" * 10_000,
    ],
)
def test_a_tampered_token_is_refused(session, tamper):
    ask_by_email(session)
    token = sent_token(session)
    assert redeem(session, tamper(token)) is None
    assert redeem(session, token) == ResetSubject("holder", "C1001")


def test_a_token_signed_with_another_secret_is_refused(session):
    ask_by_email(session)
    token = sent_token(session)
    assert redeem(session, token, settings=Settings(secret_key="other")) is None
    assert rows(session, AuditEvent)[-1].details["reason"] == "bad_signature"


@pytest.mark.parametrize(
    "change",
    [
        {"subject_id": "C1002"},
        {"subject_kind": "user", "subject_id": USER_LINE},
        {"expires_at": NOW + timedelta(days=30)},
    ],
)
def test_a_link_changed_in_the_database_is_refused(session, change):
    ask_by_email(session)
    token = sent_token(session)
    session.execute(update(ResetLink).values(**change))
    assert redeem(session, token) is None


def test_the_declared_user_gets_the_link_by_sms_on_the_line(session):
    assert ask_by_line(session, "06 12 34 56 78") is UserResetOutcome.SENT
    [message] = rows(session, OutboxMessage)
    assert (message.channel, message.to) == (Channel.SMS, USER_LINE)
    assert redeem(session, sent_token(session)) == ResetSubject("user", USER_LINE)
    sent, used = rows(session, AuditEvent)
    assert (sent.action, sent.subject, sent.channel) == (
        "reset_link_sent",
        "06 xx xx xx 78",
        "sms",
    )
    assert used.action == "reset_link_redeemed"


@pytest.mark.parametrize(
    "url",
    ["https://espace-client.example.invalid", "https://espace-client.operateur.fr"],
)
def test_the_sms_is_gsm_7_and_fits_two_segments(url):
    token = "A" * 32 + "." + "B" * 43
    text = RESET_SMS.format(
        operator_name="Auchan Télécom",
        link=f"{url}/reinitialiser?token={token}",
        minutes=30,
    )
    assert to_gsm7(text) == text
    assert segments(text) <= 2


@pytest.mark.parametrize(
    ("msisdn", "outcome"),
    [
        (LINE_WITHOUT_USER, UserResetOutcome.NO_USER_DECLARED),
        (UNKNOWN_LINE, UserResetOutcome.UNKNOWN_LINE),
    ],
)
def test_a_line_without_a_declared_user_gets_nothing(session, msisdn, outcome):
    assert ask_by_line(session, msisdn) is outcome
    assert rows(session, OutboxMessage) == []
    assert rows(session, ResetLink) == []
    [event] = rows(session, AuditEvent)
    assert event.action == "reset_link_not_sent"
    assert event.subject == f"{msisdn[:2]} xx xx xx {msisdn[-2:]}"
    assert event.details == {"kind": "user", "reason": outcome.value}


@pytest.mark.parametrize("email", ["", "marie", "marie@", "@example.fr", "a b@c.fr"])
def test_a_malformed_address_is_refused_before_anything_is_written(session, email):
    with pytest.raises(InvalidEmail):
        ask_by_email(session, email)
    assert rows(session, AuditEvent) == []


@pytest.mark.parametrize("msisdn", ["", "12345", "+44 20 7946 0958"])
def test_a_malformed_number_is_refused(session, msisdn):
    with pytest.raises(InvalidPhoneNumber):
        ask_by_line(session, msisdn)


def test_nothing_is_committed_by_the_requests(session):
    ask_by_email(session)
    ask_by_line(session)
    session.rollback()
    assert rows(session, ResetLink) == rows(session, OutboxMessage) == []


def test_a_naive_time_is_refused(session):
    with pytest.raises(ValueError, match="naive"):
        request_holder_reset(
            session,
            email=HOLDER_EMAIL,
            settings=SETTINGS,
            conversation_id="conv-1",
            now=datetime(2026, 5, 20, 8, 0),
        )


def test_the_customer_area_url_is_read_without_its_trailing_slash():
    settings = Settings.from_env({"CUSTOMER_AREA_URL": "https://ec.example.fr/"})
    assert settings.customer_area_url == "https://ec.example.fr"
    assert Settings.from_env({}).customer_area_url == SETTINGS.customer_area_url


@pytest.mark.parametrize("url", ["espace-client.fr", "ftp://x.fr", "https://x.fr/?a=1"])
def test_a_customer_area_url_must_be_a_plain_http_url(url):
    with pytest.raises(ConfigError, match="CUSTOMER_AREA_URL"):
        Settings.from_env({"CUSTOMER_AREA_URL": url})
