"""The assistant answers over REST, with the configured operator name, and parses
identifiers into their normalised values (real servers, seeded SQLite)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.db import session_scope
from bot.models import Ticket
from scripts.servers import Servers
from tests.e2e.conftest import OPERATOR, Conversation, post_json


def _texts(replies: list[dict]) -> str:
    return " ".join(reply.get("text", "") for reply in replies)


def test_the_greeting_names_the_configured_operator_and_offers_buttons(
    conversation: Conversation,
) -> None:
    replies = conversation.say("Bonjour !")
    assert OPERATOR in _texts(replies)
    titles = [b["title"] for r in replies for b in r.get("buttons", [])]
    assert "Modifier ma date de portabilité" in titles


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("c'est le +33 6 12 34 56 78", "phone_number", "0612345678"),
        ("ma commande cmd-2026-004512", "order_id", "CMD-2026-004512"),
        ("mon mail Marie.Dupont@Example.FR", "email", "marie.dupont@example.fr"),
        ("RIO 02 P K7T 2QX TB6", "rio", "02PK7T2QXTB6"),
        ("le code reçu est 482 913", "otp_code", "482913"),
    ],
)
def test_model_parse_returns_normalised_entity_values(
    servers: Servers, text: str, entity: str, value: str
) -> None:
    parsed = post_json(
        f"{servers.rasa_url}/model/parse", {"text": text}, servers.api_headers()
    )
    assert isinstance(parsed, dict)
    assert [(e["entity"], e["value"]) for e in parsed["entities"]] == [(entity, value)]


def test_two_misunderstandings_lead_to_an_advisor_and_the_request_is_recorded(
    conversation: Conversation, e2e_env: dict[str, str]
) -> None:
    first = conversation.say("zblorg kwix pataf")
    assert "reformuler" in _texts(first)
    second = conversation.say("vrrr mlkjh qsdfg")
    assert "conseiller" in _texts(second)
    assert [b["payload"] for r in second for b in r.get("buttons", [])] == [
        "/affirm",
        "/deny",
    ]
    third = conversation.say("/affirm")
    assert "un conseiller va prendre le relais" in _texts(third)

    settings = Settings.from_env(e2e_env)
    with session_scope(settings) as session:
        tickets = (
            session.execute(
                select(Ticket).where(Ticket.conversation_id == conversation.sender)
            )
            .scalars()
            .all()
        )
        assert [(t.reason, t.channel, t.state) for t in tickets] == [
            ("after_fallback", "rest", "waiting")
        ]


def test_an_informational_question_gets_the_help_pages_answer(
    conversation: Conversation,
) -> None:
    text = _texts(conversation.say("c koi le code rio et comment je l'ai ?"))
    assert "3179" in text
