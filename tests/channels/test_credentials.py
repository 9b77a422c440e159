"""The credentials file: each connector on once its secrets are in the environment."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from rasa.shared.utils.io import read_config_file

from bot.config import PROJECT_ROOT
from channels.credentials import channel_credentials, connectors_on, render

TWILIO = "channels.twilio_signed.TwilioSignedInput"
TELEGRAM = "channels.telegram_secret.TelegramSecretInput"
MESSENGER = "channels.messenger_signed.MessengerSignedInput"
ALL_SECRETS = {
    "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
    "TWILIO_AUTH_TOKEN": "twilio-token",
    "TWILIO_WEBHOOK_BASE_URL": "https://bot.example.test",
    "TELEGRAM_BOT_TOKEN": "123:abc",
    "TELEGRAM_SECRET_TOKEN": "telegram-secret",
    "MESSENGER_PAGE_ACCESS_TOKEN": "page-token",
    "MESSENGER_APP_SECRET": "app-secret",
    "MESSENGER_VERIFY_TOKEN": "verify-token",
}


def test_without_secrets_only_rest_and_socketio_are_on():
    credentials = channel_credentials({})
    socketio = "channels.socketio_shared.SharedSocketIOInput"
    assert set(credentials) == {"rest", socketio}
    assert credentials[socketio]["bot_message_evt"] == "bot_uttered"
    assert connectors_on(credentials) == []


def test_every_connector_is_on_when_its_secrets_are_set():
    credentials = channel_credentials(ALL_SECRETS)
    assert connectors_on(credentials) == [
        "twilio_signed",
        "telegram_secret",
        "messenger_signed",
    ]


@pytest.mark.parametrize(
    ("missing", "off"),
    [
        ("TWILIO_AUTH_TOKEN", TWILIO),
        ("TWILIO_WEBHOOK_BASE_URL", TWILIO),
        ("TELEGRAM_SECRET_TOKEN", TELEGRAM),
        ("MESSENGER_APP_SECRET", MESSENGER),
        ("MESSENGER_VERIFY_TOKEN", MESSENGER),
    ],
)
def test_a_connector_missing_one_secret_stays_off(missing, off):
    credentials = channel_credentials({**ALL_SECRETS, missing: "  "})
    assert off not in credentials
    assert len(connectors_on(credentials)) == 2


def test_values_are_environment_references_never_the_secrets():
    env = {**ALL_SECRETS, "TWILIO_WHATSAPP_FROM": "whatsapp:+14155238886"}
    text = render(channel_credentials(env))
    assert "twilio-token" not in text and "app-secret" not in text
    assert "auth_token: ${TWILIO_AUTH_TOKEN}" in text
    assert "whatsapp_from: ${TWILIO_WHATSAPP_FROM}" in text
    assert "sms_from" not in text  # optional and unset: not written


def test_rasa_reads_the_file_with_the_secrets_from_the_environment(
    tmp_path, monkeypatch
):
    for name, value in ALL_SECRETS.items():
        monkeypatch.setenv(name, value)
    path = tmp_path / "credentials.yml"
    path.write_text(render(channel_credentials(ALL_SECRETS)))
    read = read_config_file(path)
    assert read[TWILIO]["auth_token"] == "twilio-token"
    assert read[MESSENGER]["verify_token"] == "verify-token"
    assert read["rest"] is None


def test_the_command_writes_the_file_and_names_the_channels_on(tmp_path):
    path = tmp_path / "var" / "credentials.yml"
    prefixes = ("TWILIO_", "TELEGRAM_", "MESSENGER_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env.update(TELEGRAM_BOT_TOKEN="123:abc", TELEGRAM_SECRET_TOKEN="s")
    result = subprocess.run(
        [sys.executable, "-m", "channels", "--out", str(path)],
        cwd=tmp_path,
        env=env | {"PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "messaging channels on: telegram_secret" in result.stderr
    assert TELEGRAM in path.read_text()
