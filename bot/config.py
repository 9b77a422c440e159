"""Settings read once from the environment into a frozen object."""

from __future__ import annotations

import math
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'bot.db'}"
DEFAULT_FIXTURE = PROJECT_ROOT / "fixtures" / "demo.yml"
DEFAULT_SECRET_FILE = PROJECT_ROOT / "var" / "secret_key"
SMS_PROVIDERS = ("console", "twilio", "http")
EMAIL_PROVIDERS = ("console", "smtp")
_TRUE = ("true", "1", "yes", "on")
_FALSE = ("false", "0", "no", "off")


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
    # Wait after the first failed attempt; each later one doubles it (tests shorten it).
    outbox_first_retry_seconds: float = 5.0
    # How long a message being sent stays leased to its dispatcher: after a crash,
    # another one sends it again then (with the same idempotency key). Longer than
    # a provider call may take (10 s); the fault tests shorten it.
    outbox_claim_lease_seconds: float = 120.0
    # The customer area (Espace Client) that password reset links open.
    customer_area_url: str = "https://espace-client.example.invalid"
    # Outgoing e-mail: console (development) or an SMTP relay.
    email_provider: str = "console"
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    email_from: str = "Service Client <no-reply@example.invalid>"
    # Advisors: when they answer, how long a ticket may wait before a callback is
    # offered, the console's idle expiry, and how the console reaches Rasa's API.
    support_hours: str = "mon-sat 09:00-19:00"
    claim_timeout_minutes: float = 10
    console_idle_minutes: int = 30
    rasa_api_url: str = "http://127.0.0.1:5005"
    rasa_jwt_secret: str | None = None
    # Chatwoot's application API, where the outbox posts the agent bot's answers.
    chatwoot_url: str | None = None
    chatwoot_bot_token: str | None = None

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
            outbox_first_retry_seconds=positive_number(
                env, "OUTBOX_FIRST_RETRY_SECONDS", cls.outbox_first_retry_seconds
            ),
            outbox_claim_lease_seconds=positive_number(
                env, "OUTBOX_CLAIM_LEASE_SECONDS", cls.outbox_claim_lease_seconds
            ),
            customer_area_url=_http_url(
                env, "CUSTOMER_AREA_URL", cls.customer_area_url
            ),
            email_provider=_choice(
                env, "EMAIL_PROVIDER", EMAIL_PROVIDERS, cls.email_provider
            ),
            smtp_host=(env.get("SMTP_HOST") or "").strip() or None,
            smtp_port=_port(env, "SMTP_PORT", cls.smtp_port),
            smtp_username=env.get("SMTP_USERNAME") or None,
            smtp_password=env.get("SMTP_PASSWORD") or None,
            smtp_starttls=_flag(env, "SMTP_STARTTLS", cls.smtp_starttls),
            email_from=_address(env, "EMAIL_FROM", cls.email_from),
            support_hours=_support_hours(env, cls.support_hours),
            claim_timeout_minutes=positive_number(
                env, "HANDOFF_CLAIM_TIMEOUT_MINUTES", cls.claim_timeout_minutes
            ),
            console_idle_minutes=_positive_int(
                env, "CONSOLE_IDLE_MINUTES", cls.console_idle_minutes
            ),
            rasa_api_url=_http_url(env, "RASA_API_URL", cls.rasa_api_url),
            rasa_jwt_secret=env.get("RASA_JWT_SECRET") or None,
            chatwoot_url=_optional_http_url(env, "CHATWOOT_URL"),
            chatwoot_bot_token=(env.get("CHATWOOT_BOT_TOKEN") or "").strip() or None,
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


def positive_number(
    env: Mapping[str, str],
    name: str,
    default: float,
    *,
    must_be: str = "a positive number",
    must_be_positive: str = "a positive number",
) -> float:
    """The number in `env[name]`, or `default` when it is unset or blank.

    ConfigError "NAME must be <must_be>, not '...'" when it is no number or an
    infinite one, and "NAME must be <must_be_positive>, not '...'" when it is not
    above zero (NaN included).
    """
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value: float | None = float(raw)
    except ValueError:
        value = None
    # "inf" or "1e999" is no duration: timedelta and sleep refuse it.
    if value is None or math.isinf(value):
        raise ConfigError(f"{name} must be {must_be}, not {raw!r}")
    if not value > 0:
        raise ConfigError(f"{name} must be {must_be_positive}, not {raw!r}")
    return value


def _choice(
    env: dict[str, str] | os._Environ[str],
    name: str,
    choices: tuple[str, ...],
    default: str,
) -> str:
    value = (env.get(name) or default).strip().lower()
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def _port(env: dict[str, str] | os._Environ[str], name: str, default: int) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise ConfigError(f"{name} must be a port number (1 to 65535), not {raw!r}")
    return int(raw)


def _flag(env: dict[str, str] | os._Environ[str], name: str, default: bool) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false (or 1 or 0), not {raw!r}")


def _http_url(env: dict[str, str] | os._Environ[str], name: str, default: str) -> str:
    url = (env.get(name) or default).strip().rstrip("/")
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(f"{name} must be an http(s) URL, not {url!r}")
    if parsed.query or parsed.fragment:
        raise ConfigError(f"{name} must have no query or fragment, not {url!r}")
    return url


def _optional_http_url(env: dict[str, str] | os._Environ[str], name: str) -> str | None:
    if not (env.get(name) or "").strip():
        return None
    return _http_url(env, name, "")


def _address(env: dict[str, str] | os._Environ[str], name: str, default: str) -> str:
    value = (env.get(name) or default).strip()
    _, address = parseaddr(value)
    if "\n" in value or "\r" in value or "@" not in address:
        raise ConfigError(
            f'{name} must be an e-mail address ("Name <a@b.fr>"), not {value!r}'
        )
    return value


def _support_hours(env: dict[str, str] | os._Environ[str], default: str) -> str:
    from bot.handoff.hours import SupportHours  # the parser needs ConfigError

    value = (env.get("SUPPORT_HOURS") or default).strip()
    SupportHours.parse(value)  # refuse a bad value at start-up, not at handoff
    return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings (read once)."""
    return Settings.from_env()
