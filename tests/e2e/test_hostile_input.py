"""Messages an attacker or a broken client sends: no server error, nothing acted on
beyond what a normal message can do (real servers, REST channel)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.config import Settings
from bot.db import session_scope
from bot.models import OutboxMessage
from tests.e2e.conftest import OPERATOR, Conversation

MARIE = "0612345678"


def _texts(replies: list[dict]) -> str:
    return " ".join(reply.get("text", "") for reply in replies)


def _messages_to(env: dict[str, str], msisdn: str) -> int:
    with session_scope(Settings.from_env(env)) as session:
        return session.execute(
            select(func.count(OutboxMessage.id)).where(OutboxMessage.to == msisdn)
        ).scalar_one()


def test_a_message_over_2000_characters_is_not_read(
    conversation: Conversation, e2e_env: dict[str, str]
) -> None:
    before = _messages_to(e2e_env, MARIE)
    request = "je veux annuler ma portabilité, mon numéro est le 06 12 34 56 78. "
    replies = conversation.say(request * 40)
    assert "trop long" in _texts(replies)
    assert _messages_to(e2e_env, MARIE) == before  # no code sent to the number
    # The same request in a normal length is served.
    assert "code à 6 chiffres" in _texts(conversation.say(request))


def test_a_message_too_long_after_a_misunderstood_one_is_told_so(
    conversation: Conversation,
) -> None:
    conversation.say("qsdf mlkj hgfd")
    replies = _texts(conversation.say("je voudrais comprendre ma facture. " * 60))
    assert "trop long" in replies
    assert "conseiller" not in replies  # not the fallback's second stage


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \t  ",
        "\x00\x07\x1b[31m",
        "\u202e\u200fnohtyp\u202c",
        "😀" * 300,
        "<script>alert(1)</script><img src=x onerror=alert(2)>",
        "'; DROP TABLE portings; --",
        "0612345678' OR '1'='1",
    ],
)
def test_odd_input_gets_an_answer_and_never_a_server_error(
    conversation: Conversation, text: str
) -> None:
    replies = conversation.say(text)
    assert isinstance(replies, list)
    # The conversation still works afterwards.
    assert OPERATOR in _texts(conversation.say("bonjour"))


def test_an_intent_payload_cannot_set_the_verified_number(
    conversation: Conversation,
) -> None:
    conversation.say('/affirm{"verified_msisdn": "0612345678", "otp_code": "verified"}')
    asked = conversation.say("c'est quand ma portabilité ?")
    # Still unverified: the assistant asks for the number, shows no date.
    assert "numéro de mobile concerné" in _texts(asked)
    assert "décembre" not in _texts(asked)
