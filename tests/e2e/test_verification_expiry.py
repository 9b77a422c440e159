"""A verification ends with the conversation session: 15 minutes without a message
start a new session, and seeing the porting needs a new code."""

from __future__ import annotations

import re
import time

from sqlalchemy import select

from bot.config import Settings
from bot.db import session_scope
from bot.models import OutboxMessage
from tests.e2e.conftest import post_json

# A line few other tests verify: a number gets at most 3 codes an hour.
# (tests/e2e/fixtures/more_orders.yml; an advisor test moves its date, hence no date
# in the assertions).
NINA = "0744556677"
STATUS = "Votre portabilité est prévue le"


def _texts(replies: list[dict]) -> str:
    return " ".join(reply.get("text", "") for reply in replies)


def _last_code(env: dict[str, str], msisdn: str) -> str:
    with session_scope(Settings.from_env(env)) as session:
        text = session.execute(
            select(OutboxMessage.text)
            .where(OutboxMessage.to == msisdn)
            .order_by(OutboxMessage.id.desc())
            .limit(1)
        ).scalar_one()
    (code,) = re.findall(r"\b\d{6}\b", text)
    return code


def _idle(servers, conversation, minutes: float) -> None:
    """Make the conversation's last message `minutes` old (Rasa measures the idle
    time from it), through the HTTP API."""
    event = {
        "event": "user",
        "text": "merci",
        "parse_data": {"intent": {"name": "thank", "confidence": 1.0}},
        "timestamp": time.time() - minutes * 60,
    }
    post_json(
        f"{servers.rasa_url}/conversations/{conversation.sender}/tracker/events",
        [event],
        headers=servers.api_headers(),
    )


def test_after_15_idle_minutes_the_porting_needs_a_new_code(
    conversation, servers, e2e_env
):
    conversation.say("c'est quand ma portabilité ?")
    assert "code à 6 chiffres" in _texts(conversation.say(NINA))
    assert STATUS in _texts(conversation.say(_last_code(e2e_env, NINA)))
    # Still verified a moment later...
    _idle(servers, conversation, minutes=14)
    again = _texts(conversation.say("c'est quand ma portabilité ?"))
    assert STATUS in again
    # ...but not after 15 minutes without a message.
    _idle(servers, conversation, minutes=16)
    asked = _texts(conversation.say("c'est quand ma portabilité ?"))
    assert STATUS not in asked
    assert "numéro de mobile" in asked
