"""Loading fixture files: validation first, then an idempotent upsert."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from bot.cli import main
from bot.config import DEFAULT_FIXTURE
from bot.db import session_scope
from bot.models import DeclaredUser, Holder, Line, Order, OrderStatus, Porting
from bot.seed import load_fixture, seed

TODAY = date(2026, 5, 20)  # a Wednesday; Lundi de Pentecôte is 2026-05-25
DEMO: dict[str, Any] = yaml.safe_load(DEFAULT_FIXTURE.read_text(encoding="utf-8"))
DEMO_COUNTS = {"holders": 6, "lines": 6, "users": 2, "orders": 6, "portings": 5}
MODELS = {
    "holders": Holder,
    "lines": Line,
    "users": DeclaredUser,
    "orders": Order,
    "portings": Porting,
}


def counts() -> dict[str, int]:
    """Count the rows of each seeded table in the test database."""
    with session_scope() as session:
        return {
            kind: session.execute(select(func.count()).select_from(model)).scalar_one()
            for kind, model in MODELS.items()
        }


def write(tmp_path: Path, data: Any, name: str = "fixture.yml") -> Path:
    """Write `data` as YAML to a file under tmp_path."""
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def one_porting(scheduled: int, status: str = "scheduled") -> dict[str, Any]:
    """A fixture with a single customer whose porting is `scheduled` days away."""
    data = copy.deepcopy(DEMO)
    data["customers"] = data["customers"][:1]
    data["customers"][0]["orders"][0]["porting"]["scheduled"] = scheduled
    data["customers"][0]["orders"][0]["porting"]["status"] = status
    return data


def seed_file(path: Path, today: date = TODAY) -> Any:
    """Load and seed `path` in one transaction; return the report."""
    data = load_fixture(path)
    with session_scope() as session:
        return seed(session, data, today)


def test_the_demo_fixture_loads_with_its_counts(migrated_url):
    report = seed_file(DEFAULT_FIXTURE)
    assert dict(report.created) == DEMO_COUNTS
    assert sum(report.updated.values()) == 0
    assert counts() == DEMO_COUNTS


def test_the_demo_values_are_stored_with_dates_from_today(migrated_url):
    seed_file(DEFAULT_FIXTURE)
    with session_scope() as session:
        order = session.get(Order, "CMD-2026-004633")
        holder = session.get(Holder, "C1003")
        line = session.get(Line, "0612345678")
        assert order.subscribed_on == date(2026, 5, 17)
        assert order.status is OrderStatus.AWAITING_DOCUMENTS
        assert order.documents_missing == ["identity_back"]
        assert order.porting.rio == "03P9XQ2LMVMB"
        assert order.porting.msisdn == "0745678901"
        assert order.porting.scheduled_on == date(2026, 6, 15)  # 25 days: a Sunday
        assert order.porting.updated_at.tzinfo is not None
        assert holder.email == "sophie.martin@example.fr"
        assert holder.password_set is False
        assert line.user.first_name == "Lucas"
        assert line.holder.id == "C1001"


def test_loading_twice_duplicates_nothing(migrated_url):
    seed_file(DEFAULT_FIXTURE)
    report = seed_file(DEFAULT_FIXTURE)
    assert sum(report.created.values()) == 0
    assert sum(report.updated.values()) == 0
    assert dict(report.unchanged) == DEMO_COUNTS
    assert counts() == DEMO_COUNTS


def test_loading_again_updates_records_to_the_fixture_values(migrated_url, tmp_path):
    seed_file(DEFAULT_FIXTURE)
    data = copy.deepcopy(DEMO)
    data["customers"][0]["orders"][0]["status"] = "delivered"
    data["customers"][0]["lines"][0]["user"] = None
    data["customers"][1]["orders"][0]["porting"]["slot"] = "morning"
    report = seed_file(write(tmp_path, data))
    assert report.updated["orders"] == 1
    assert report.updated["portings"] == 1
    assert report.deleted["users"] == 1
    assert counts() == DEMO_COUNTS | {"users": 1}
    with session_scope() as session:
        assert session.get(Order, "CMD-2026-004512").status is OrderStatus.DELIVERED
        assert session.get(DeclaredUser, "0612345678") is None


def test_the_summary_is_one_line(migrated_url):
    summary = seed_file(DEFAULT_FIXTURE).summary()
    assert "\n" not in summary
    assert "6 holders" in summary
    assert "created 25" in summary


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (2, date(2026, 5, 22)),  # a Friday stays
        (3, date(2026, 5, 23)),  # a Saturday stays
        (11, date(2026, 6, 1)),  # Sunday 31 May -> Monday
        (4, date(2026, 5, 26)),  # Sunday 24 May, then Lundi de Pentecôte -> Tuesday
        (5, date(2026, 5, 26)),  # Lundi de Pentecôte -> Tuesday
        (-6, date(2026, 5, 15)),  # Ascension (Thursday 14 May) -> Friday
    ],
)
def test_a_porting_date_on_a_sunday_or_holiday_moves_to_the_next_business_day(
    migrated_url, tmp_path, offset, expected
):
    seed_file(write(tmp_path, one_porting(offset)))
    with session_scope() as session:
        porting = session.execute(select(Porting)).scalar_one()
        assert porting.scheduled_on == expected


def test_bot_today_pins_the_dates_of_the_seed_command(migrated_url, monkeypatch):
    monkeypatch.setenv("BOT_TODAY", "2026-05-20")
    assert main(["seed"]) == 0
    with session_scope() as session:
        assert session.get(Order, "CMD-2026-004512").subscribed_on == date(2026, 5, 10)
        order = session.get(Order, "CMD-2026-004512")
        assert order.porting.scheduled_on == date(2026, 6, 1)  # 12 days: a Monday


def test_e_mails_are_stored_in_lower_case(migrated_url, tmp_path):
    data = copy.deepcopy(DEMO)
    data["customers"][0]["email"] = "Marie.DUPONT@Example.fr"
    seed_file(write(tmp_path, data))
    with session_scope() as session:
        assert session.get(Holder, "C1001").email == "marie.dupont@example.fr"
