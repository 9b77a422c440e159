"""Settings read once from the environment into a frozen object."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'bot.db'}"
DEFAULT_FIXTURE = PROJECT_ROOT / "fixtures" / "demo.yml"
DEFAULT_SECRET_FILE = PROJECT_ROOT / "var" / "secret_key"
SMS_PROVIDERS = ("console", "twilio", "http")


class ConfigError(ValueError):
    """A setting in the environment has an unusable value."""


@dataclass(frozen=True)
class Settings:
    """Everything the assistant reads from its environment."""

    database_url: str = DEFAULT_DATABASE_URL
    operator_name: str = "Auchan Télécom"
    timezone: str = "Europe/Paris"
    today_override: str | None = None
    # Server secret for one-time code hashes and signed links (BOT_SECRET_KEY). Without
    # it, a random key is created once in var/secret_key (development only).
    secret_key: str | None = None
    # Outgoing SMS: which provider sends the outbox, and its settings.
    sms_provider: str = "console"
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_from_number: str | None = None
    twilio_api_base_url: str | None = None  # tests point it at a local fake
    sms_http_url: str | None = None
    sms_http_token: str | None = None
    outbox_max_attempts: int = 6

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Build settings from `environ` (the process environment by default)."""
        env = os.environ if environ is None else environ
        provider = (env.get("SMS_PROVIDER") or cls.sms_provider).strip().lower()
        if provider not in SMS_PROVIDERS:
            raise ConfigError(
                f"SMS_PROVIDER must be one of {', '.join(SMS_PROVIDERS)}, "
                f"not {provider!r}"
            )
        return cls(
            database_url=env.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            operator_name=env.get("BOT_OPERATOR_NAME") or cls.operator_name,
            timezone=env.get("BOT_TIMEZONE") or cls.timezone,
            today_override=env.get("BOT_TODAY") or None,
            secret_key=env.get("BOT_SECRET_KEY") or None,
            sms_provider=provider,
            twilio_account_sid=env.get("TWILIO_ACCOUNT_SID") or None,
            twilio_auth_token=env.get("TWILIO_AUTH_TOKEN") or None,
            twilio_from_number=env.get("TWILIO_FROM_NUMBER") or None,
            twilio_api_base_url=env.get("TWILIO_API_BASE_URL") or None,
            sms_http_url=env.get("SMS_HTTP_URL") or None,
            sms_http_token=env.get("SMS_HTTP_TOKEN") or None,
            outbox_max_attempts=_positive_int(env, "OUTBOX_MAX_ATTEMPTS", 6),
        )

    def server_secret(self) -> bytes:
        """Return the server secret, creating the development key file if needed."""
        if self.secret_key:
            return self.secret_key.encode()
        DEFAULT_SECRET_FILE.parent.mkdir(parents=True, exist_ok=True)
        if not DEFAULT_SECRET_FILE.exists():
            # Exclusive creation: two processes starting together keep one key.
            try:
                with DEFAULT_SECRET_FILE.open("x") as handle:
                    handle.write(secrets.token_hex(32))
                DEFAULT_SECRET_FILE.chmod(0o600)
            except FileExistsError:
                pass
        return DEFAULT_SECRET_FILE.read_text().strip().encode()


def _positive_int(
    env: dict[str, str] | os._Environ[str], name: str, default: int
) -> int:
    raw = env.get(name)
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(f"{name} must be a whole number of at least 1, not {raw!r}")
    return int(raw)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings (read once)."""
    return Settings.from_env()
