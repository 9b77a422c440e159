"""Changing and cancelling a porting: one transaction, audit, SMS, idempotency."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.config import DEFAULT_FIXTURE, Settings
from bot.models import AuditEvent, OutboxMessage, PortingStatus
from bot.porting_service import (
    CANCEL_SMS,
    CHANGE_SMS,
    Outcome,
    cancel,
    change_date,
    find_porting,
    review_new_date,
)
from bot.seed import load_fixture, seed
from bot.sms import segments

TODAY = date(2026, 11, 26)
SETTINGS = Settings(secret_key="test")
MARIE = "0612345678"  # scheduled Tue 8 Dec 2026, morning; subscribed 16 Nov
KARIM = "0623456789"  # scheduled in 2 days: too late to change
EMMA = "0767890123"  # porting completed
JEAN = "0656789012"  # a line without porting


@pytest.fixture
def demo(db_session: Session) -> Session:
    seed(db_session, load_fixture(DEFAULT_FIXTURE), TODAY)
    db_session.commit()
    return db_session


def _count(session: Session, model: type) -> int:
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def _change(session: Session, msisdn: str, new_date: date, request_id: str = "r1"):
    return change_date(
        session,
        msisdn=msisdn,
        new_date=new_date,
        today=TODAY,
        conversation_id="conv",
        request_id=request_id,
        channel="rest",
        settings=SETTINGS,
    )


def test_an_allowed_change_moves_the_date_and_queues_one_sms_and_one_audit(demo):
    result = _change(demo, MARIE, date(2026, 12, 12))
    assert result.outcome is Outcome.APPLIED
    assert find_porting(demo, MARIE).scheduled_on == date(2026, 12, 12)
    (sms,) = demo.execute(select(OutboxMessage)).scalars().all()
    assert sms.to == MARIE and "samedi 12 décembre 2026, le matin" in sms.text
    (event,) = demo.execute(
        select(AuditEvent).where(AuditEvent.action == "porting_date_changed")
    ).scalars()
    assert event.details == {"from": "2026-12-08", "to": "2026-12-12"}
    assert event.actor == "conversation:conv" and event.channel == "rest"


def test_a_repeated_confirmation_applies_nothing_twice(demo):
    _change(demo, MARIE, date(2026, 12, 12))
    again = _change(demo, MARIE, date(2026, 12, 12))
    assert again.outcome is Outcome.ALREADY_APPLIED
    assert _count(demo, OutboxMessage) == 1
    changes = select(func.count()).where(AuditEvent.action == "porting_date_changed")
    assert demo.execute(changes).scalar_one() == 1


def test_a_refused_date_changes_nothing_and_sends_nothing(demo):
    result = _change(demo, MARIE, date(2026, 12, 13))
    assert result.outcome is Outcome.REFUSED and result.decision.reason == "sunday"
    assert find_porting(demo, MARIE).scheduled_on == date(2026, 12, 8)
    assert _count(demo, OutboxMessage) == 0


def test_the_deadline_is_enforced_when_applying_too(demo):
    result = _change(demo, KARIM, date(2026, 12, 12))
    assert result.outcome is Outcome.REFUSED
    assert result.decision.reason == "deadline_passed"


def test_a_cancellation_cancels_and_confirms_by_sms(demo):
    result = cancel(
        demo,
        msisdn=MARIE,
        today=TODAY,
        conversation_id="conv",
        request_id="c1",
        channel="rest",
        settings=SETTINGS,
    )
    assert result.outcome is Outcome.APPLIED
    assert find_porting(demo, MARIE).status is PortingStatus.CANCELLED
    (sms,) = demo.execute(select(OutboxMessage)).scalars().all()
    assert "mardi 8 décembre 2026" in sms.text and "annulée" in sms.text


@pytest.mark.parametrize(
    ("msisdn", "outcome"), [(EMMA, Outcome.NOT_SCHEDULED), (JEAN, Outcome.NO_PORTING)]
)
def test_nothing_is_changed_without_a_scheduled_porting(demo, msisdn, outcome):
    assert _change(demo, msisdn, date(2026, 12, 12)).outcome is outcome
    assert _count(demo, OutboxMessage) == 0


def test_a_refused_date_comes_with_the_nearest_allowed_dates(demo):
    review = review_new_date(find_porting(demo, MARIE), date(2026, 12, 25), TODAY)
    assert review.decision.reason == "public_holiday"
    assert review.holiday and "Noël" in review.holiday
    assert review.suggestions == [
        date(2026, 12, 23),
        date(2026, 12, 24),
        date(2026, 12, 26),
    ]
    assert review.last == date(2027, 1, 14)


@pytest.mark.parametrize("template", [CHANGE_SMS, CANCEL_SMS])
def test_confirmation_sms_fit_in_two_segments_with_the_longest_values(template):
    text = template.format(
        operator="Auchan Télécom",
        number="07 45 67 89 01",
        date="mercredi 30 septembre 2026",
        slot="l'après-midi",
    )
    assert segments(text) <= 2
