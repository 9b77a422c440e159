"""The Rasa credentials: credentials.yml's channels plus each configured connector.

A connector is on when the environment holds its secrets. Its values are written as
`${NAME}` references that Rasa expands when it reads the file, so the file holds no
secret and must be read with the same environment.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from bot.config import PROJECT_ROOT

BASE_FILE = PROJECT_ROOT / "credentials.yml"
HEADER = (
    "# Written by `python -m channels` from credentials.yml and the environment.\n"
    "# ${NAME} values are read from the environment by Rasa: do not edit.\n"
)


# Per connector: (credential key, environment variable, required to be on).
CONNECTORS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "channels.twilio_signed.TwilioSignedInput": (
        ("account_sid", "TWILIO_ACCOUNT_SID", True),
        ("auth_token", "TWILIO_AUTH_TOKEN", True),
        ("webhook_base_url", "TWILIO_WEBHOOK_BASE_URL", True),
        ("sms_from", "TWILIO_FROM_NUMBER", False),
        ("whatsapp_from", "TWILIO_WHATSAPP_FROM", False),
        ("api_base_url", "TWILIO_API_BASE_URL", False),
    ),
    "channels.telegram_secret.TelegramSecretInput": (
        ("access_token", "TELEGRAM_BOT_TOKEN", True),
        ("secret_token", "TELEGRAM_SECRET_TOKEN", True),
        ("webhook_url", "TELEGRAM_WEBHOOK_URL", False),
        ("api_base_url", "TELEGRAM_API_BASE_URL", False),
    ),
    "channels.messenger_signed.MessengerSignedInput": (
        ("page_access_token", "MESSENGER_PAGE_ACCESS_TOKEN", True),
        ("app_secret", "MESSENGER_APP_SECRET", True),
        ("verify_token", "MESSENGER_VERIFY_TOKEN", True),
        ("api_base_url", "MESSENGER_API_BASE_URL", False),
    ),
    "channels.chatwoot.ChatwootInput": (
        ("url", "CHATWOOT_URL", True),
        ("account_id", "CHATWOOT_ACCOUNT_ID", True),
        ("bot_token", "CHATWOOT_BOT_TOKEN", True),
        ("webhook_secret", "CHATWOOT_WEBHOOK_SECRET", True),
    ),
}


def base_credentials(path: Path = BASE_FILE) -> dict[str, Any]:
    """Return the channels of credentials.yml (rest and socket.io)."""
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def channel_credentials(
    environ: Mapping[str, str], base: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Return the credentials: the base channels plus each connector that is on."""
    credentials = copy.deepcopy(dict(base_credentials() if base is None else base))
    for connector, settings in CONNECTORS.items():
        given = {key: name for key, name, _ in settings if _is_set(environ, name)}
        if all(key in given for key, _, needed in settings if needed):
            credentials[connector] = {
                key: f"${{{name}}}" for key, name in given.items()
            }
    return credentials


def connectors_on(credentials: Mapping[str, Any]) -> list[str]:
    """Return the short names of the connectors present in `credentials`."""
    return [name.split(".")[1] for name in CONNECTORS if name in credentials]


def render(credentials: Mapping[str, Any]) -> str:
    """Return the credentials as the YAML file Rasa reads."""
    return HEADER + yaml.safe_dump(dict(credentials), sort_keys=False)


def _is_set(environ: Mapping[str, str], name: str) -> bool:
    return bool((environ.get(name) or "").strip())
