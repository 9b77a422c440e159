"""The Chatwoot connector is on exactly when its four variables are set."""

from __future__ import annotations

import pytest
from rasa.shared.utils.io import read_config_file

from channels.chatwoot import ChatwootInput
from channels.credentials import channel_credentials, render

CHATWOOT = "channels.chatwoot.ChatwootInput"
VARIABLES = {
    "CHATWOOT_URL": "https://chat.example.test",
    "CHATWOOT_ACCOUNT_ID": "7",
    "CHATWOOT_BOT_TOKEN": "bot-token",
    "CHATWOOT_WEBHOOK_SECRET": "webhook-secret",
}


def test_on_with_the_four_variables_as_references():
    credentials = channel_credentials(VARIABLES, base={})
    assert credentials == {
        CHATWOOT: {
            "url": "${CHATWOOT_URL}",
            "account_id": "${CHATWOOT_ACCOUNT_ID}",
            "bot_token": "${CHATWOOT_BOT_TOKEN}",
            "webhook_secret": "${CHATWOOT_WEBHOOK_SECRET}",
        }
    }
    assert "bot-token" not in render(credentials)


@pytest.mark.parametrize("missing", sorted(VARIABLES))
def test_off_without_any_of_them(missing):
    assert CHATWOOT not in channel_credentials({**VARIABLES, missing: " "}, base={})


def test_rasa_builds_the_connector_from_the_file(tmp_path, monkeypatch):
    for name, value in VARIABLES.items():
        monkeypatch.setenv(name, value)
    path = tmp_path / "credentials.yml"
    path.write_text(render(channel_credentials(VARIABLES, base={})))
    channel = ChatwootInput.from_credentials(read_config_file(path)[CHATWOOT])
    assert (channel.account_id, channel.webhook_secret) == ("7", "webhook-secret")
