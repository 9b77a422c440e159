"""Settings read once from the environment into a frozen object."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'bot.db'}"
DEFAULT_FIXTURE = PROJECT_ROOT / "fixtures" / "demo.yml"


class ConfigError(ValueError):
    """A setting in the environment has an unusable value."""


@dataclass(frozen=True)
class Settings:
    """Everything the assistant reads from its environment."""

    database_url: str = DEFAULT_DATABASE_URL
    operator_name: str = "Auchan Télécom"
    timezone: str = "Europe/Paris"
    today_override: str | None = None

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Build settings from `environ` (the process environment by default)."""
        env = os.environ if environ is None else environ
        return cls(
            database_url=env.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            operator_name=env.get("BOT_OPERATOR_NAME") or cls.operator_name,
            timezone=env.get("BOT_TIMEZONE") or cls.timezone,
            today_override=env.get("BOT_TODAY") or None,
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings (read once)."""
    return Settings.from_env()
