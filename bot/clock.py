"""What "today" is: BOT_TODAY when pinned, else the current date in Europe/Paris."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.config import ConfigError, Settings, get_settings


def today(settings: Settings | None = None) -> date:
    """Return today's date for the assistant's rules and demo data."""
    settings = settings or get_settings()
    if settings.today_override:
        try:
            return date.fromisoformat(settings.today_override)
        except ValueError as exc:
            raise ConfigError(
                "BOT_TODAY must be a date written YYYY-MM-DD, "
                f"not {settings.today_override!r}"
            ) from exc
    return datetime.now(ZoneInfo(settings.timezone)).date()
