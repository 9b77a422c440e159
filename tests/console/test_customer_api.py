"""The verified customer's file and porting changes by an agent, on the demo data."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.config import DEFAULT_FIXTURE, Settings, get_settings
from bot.db import session_scope
from bot.models import AuditEvent, OutboxMessage
from bot.porting_service import find_porting
from bot.seed import load_fixture, seed
from tests.bot.handoff.factories import chat_ticket
from tests.console.conftest import ALICE, BOB

TODAY = date(2026, 11, 26)
MARIE = "0612345678"  # porting Tue 8 Dec 2026, morning; subscribed 16 Nov 2026
KARIM = "0623456789"  # porting in 2 days: too late to change or cancel


@pytest.fixture
def settings(migrated_url, monkeypatch) -> Settings:
    """Today pinned (BOT_TODAY, read through get_settings) on the demo data."""
    monkeypatch.setenv("BOT_TODAY", TODAY.isoformat())
    get_settings.cache_clear()
    with session_scope() as session:
        seed(session, load_fixture(DEFAULT_FIXTURE), TODAY)
    return Settings(database_url=migrated_url, today_override=TODAY.isoformat())


def ticket_for(number: str | None, conversation: str = "conv-1") -> int:
    with session_scope() as session:
        return chat_ticket(session, conversation, verified=number).id


async def claimed_by_alice(browser, number: str | None = MARIE):
    alice = await browser(ALICE)
    ticket_id = ticket_for(number)
    assert (await alice.post(f"/api/tickets/{ticket_id}/claim")).status == 200
    return alice, f"/api/tickets/{ticket_id}"


def sms_texts() -> list[str]:
    with session_scope() as session:
        return list(session.execute(select(OutboxMessage.text)).scalars())


async def test_the_verified_customer_s_file_shows_porting_and_orders(browser):
    alice, path = await claimed_by_alice(browser)
    answer = await alice.get(f"{path}/customer")
    assert answer.status == 200
    assert await answer.json() == {
        "verified": True,
        "number": "06 xx xx xx 78",
        "porting": {
            "order_id": "CMD-2026-004512",
            "scheduled_on": "2026-12-08",
            "date": "mardi 8 décembre 2026",
            "slot": "le matin",
            "status": "scheduled",
            "window": ["2026-11-30", "2027-01-14"],
            "why_not": None,
        },
        "orders": [
            {
                "id": "CMD-2026-004512",
                "status": "expédiée",
                "subscribed_on": "2026-11-16",
                "missing": "",
            }
        ],
    }


async def test_an_unverified_customer_has_no_file(browser):
    alice, path = await claimed_by_alice(browser, number=None)
    assert await (await alice.get(f"{path}/customer")).json() == {
        "verified": False,
        "number": None,
        "porting": None,
        "orders": [],
    }


async def test_a_sunday_is_refused_by_the_same_rules_as_the_assistant(browser):
    alice, path = await claimed_by_alice(browser)
    answer = await alice.post(
        f"{path}/porting", {"action": "change", "date": "2026-12-13"}
    )
    assert answer.status == 200
    assert await answer.json() == {
        "outcome": "refused",
        "reason": "sunday",
        "scheduled_on": "2026-12-08",
        "status": "scheduled",
    }
    assert sms_texts() == []


async def test_an_allowed_date_is_applied_with_an_sms_and_the_agent_audited(browser):
    alice, path = await claimed_by_alice(browser)
    body = {"action": "change", "date": "2026-12-12", "request_id": "r1"}
    answer = await alice.post(f"{path}/porting", body)
    assert await answer.json() == {
        "outcome": "applied",
        "reason": None,
        "scheduled_on": "2026-12-12",
        "status": "scheduled",
    }
    again = await (await alice.post(f"{path}/porting", body)).json()
    assert again["outcome"] == "already_applied"
    (sms,) = sms_texts()
    assert "samedi 12 décembre 2026, le matin" in sms and "06 12 34 56 78" in sms
    with session_scope() as session:
        assert find_porting(session, MARIE).scheduled_on == date(2026, 12, 12)
        (event,) = session.execute(
            select(AuditEvent).where(AuditEvent.action == "porting_date_changed")
        ).scalars()
        assert (event.actor, event.channel) == ("agent:alice@example.fr", "console")
        assert event.details == {"from": "2026-12-08", "to": "2026-12-12"}


async def test_a_cancellation_is_applied_with_an_sms(browser):
    alice, path = await claimed_by_alice(browser)
    answer = await alice.post(f"{path}/porting", {"action": "cancel"})
    assert (await answer.json())["outcome"] == "applied"
    assert (await answer.json())["status"] == "cancelled"
    (sms,) = sms_texts()
    assert "prévue le mardi 8 décembre 2026 est annulée" in sms
    with session_scope() as session:
        (event,) = session.execute(
            select(AuditEvent).where(AuditEvent.action == "porting_cancelled")
        ).scalars()
        assert event.actor == "agent:alice@example.fr"


async def test_a_porting_too_close_cannot_be_cancelled_by_an_agent_either(browser):
    alice, path = await claimed_by_alice(browser, number=KARIM)
    answer = await alice.post(f"{path}/porting", {"action": "cancel"})
    assert (await answer.json())["outcome"] == "refused"
    assert (await answer.json())["reason"] == "deadline_passed"
    assert sms_texts() == []


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"action": "move"}, 400),
        ({}, 400),
        ({"action": "change"}, 400),
        ({"action": "change", "date": "12/12/2026"}, 400),
        ({"action": "change", "date": "2026-02-30"}, 400),
    ],
)
async def test_a_malformed_porting_request_answers_400(browser, body, status):
    alice, path = await claimed_by_alice(browser)
    assert (await alice.post(f"{path}/porting", body)).status == status


async def test_the_porting_needs_the_ticket_held_and_a_verified_number(browser):
    alice, bob = await browser(ALICE), await browser(BOB)
    waiting = ticket_for(MARIE, "conv-1")
    change = {"action": "change", "date": "2026-12-12"}
    answer = await alice.post(f"/api/tickets/{waiting}/porting", change)
    assert answer.status == 409  # not claimed yet
    unverified = ticket_for(None, "conv-2")
    await bob.post(f"/api/tickets/{unverified}/claim")
    answer = await bob.post(f"/api/tickets/{unverified}/porting", change)
    assert answer.status == 409
    assert "vérifié" in (await answer.json())["error"]
    assert sms_texts() == []


async def test_the_weekly_figures_have_french_labels(browser):
    ticket_for(None, "conv-1")
    alice = await browser(ALICE)
    figures = await (await alice.get("/api/stats")).json()
    assert figures["per_reason"] == {"customer_request": 1}
    assert figures["labels"] == {"customer_request": "Demande du client"}
    assert (figures["median_wait_minutes"], figures["claimed"]) == (None, 0)
