"""Action tests: support hours pinned through SUPPORT_HOURS, never the real clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.config import get_settings
from bot.handoff.hours import DAYS, SupportHours
from tests.bot.handoff.conftest import fast_argon2

__all__ = ["fast_argon2"]


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Set environment variables and forget the cached settings."""

    def set_variables(**variables: str) -> None:
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    return set_variables


@pytest.fixture
def open_hours(environment, migrated_url) -> SupportHours:
    """Advisors always there."""
    environment(SUPPORT_HOURS="always")
    return SupportHours.parse("always")


@pytest.fixture
def closed_hours(environment, migrated_url) -> SupportHours:
    """One hour a week, on a day three days from today: surely closed now."""
    today = datetime.now(ZoneInfo("Europe/Paris")).weekday()
    value = f"{DAYS[(today + 3) % 7]} 09:00-10:00"
    environment(SUPPORT_HOURS=value)
    return SupportHours.parse(value)
