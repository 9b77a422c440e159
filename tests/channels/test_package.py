"""The channel rules stay free of Rasa and Sanic; the connectors are thin."""

from __future__ import annotations

import subprocess
import sys

from bot.config import PROJECT_ROOT

RULES = (
    "bot.channels.buttons, bot.channels.memory, bot.channels.messenger_api, "
    "bot.channels.signatures, bot.channels.splitting, bot.channels.store, "
    "bot.channels.telegram_api, bot.channels.twilio_api, bot.channels.webapi, "
    "bot.channels.chatwoot_api, bot.channels.chatwoot_webhooks, "
    "bot.channels.chatwoot_outbox, bot.handoff.chatwoot"
)


def test_the_channel_rules_import_neither_rasa_nor_sanic(tmp_path):
    check = (
        f"import sys, {RULES}; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'rasa', 'sanic'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", check],
        cwd=tmp_path,
        env={"PYTHONPATH": str(PROJECT_ROOT), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
