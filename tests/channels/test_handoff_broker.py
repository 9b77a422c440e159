"""The event broker that copies a handed-over conversation's messages to its ticket."""

from __future__ import annotations

import logging
from datetime import datetime, timezone

import pytest

from bot.config import get_settings
from bot.db import session_scope
from bot.handoff import tickets
from bot.handoff.transcript import Line
from bot.masking import CODE_MASK
from channels.handoff_broker import HandoffEventBroker, record_message
from tests.bot.handoff.factories import chat_ticket

STAMP = 1_796_630_400.5  # 2026-12-07 08:00:00.5 UTC
AT = datetime.fromtimestamp(STAMP, timezone.utc)


def user(text: str, sender: str = "conv-1", stamp: float = STAMP, entities=()):
    return {
        "event": "user",
        "sender_id": sender,
        "text": text,
        "timestamp": stamp,
        "parse_data": {"entities": list(entities)},
        "input_channel": "socketio",
    }


def bot(text: str, sender: str = "conv-1", stamp: float = STAMP, metadata=None):
    return {
        "event": "bot",
        "sender_id": sender,
        "text": text,
        "timestamp": stamp,
        "metadata": metadata or {},
    }


@pytest.fixture
def ticket_id(migrated_url) -> int:
    """A waiting ticket for conv-1 whose transcript ends with the request."""
    with session_scope() as session:
        line = Line("customer", "je veux un conseiller", AT)
        return chat_ticket(session, "conv-1", lines=[line]).id


def transcript(ticket_id: int) -> list[tuple[str, str]]:
    with session_scope() as session:
        ticket = tickets.find(session, ticket_id)
        return [(m.author, m.text) for m in tickets.messages(session, ticket)]


def test_user_and_bot_messages_reach_the_open_ticket(ticket_id):
    broker = HandoffEventBroker()
    broker.publish(user("vous êtes là ?", stamp=STAMP + 1))
    broker.publish(bot("Vous êtes 1er dans la file.", stamp=STAMP + 2))
    assert transcript(ticket_id)[1:] == [
        ("customer", "vous êtes là ?"),
        ("assistant", "Vous êtes 1er dans la file."),
    ]
    with session_scope() as session:
        last = tickets.messages(session, tickets.find(session, ticket_id))[-1]
        assert last.at == datetime.fromtimestamp(STAMP + 2, timezone.utc)


def test_codes_are_masked_by_span_and_by_pattern(ticket_id):
    span = {"entity": "otp_code", "start": 5, "end": 13, "value": "482913"}
    assert record_message(user("code 48 29 13", stamp=STAMP + 1, entities=[span]))
    assert record_message(user("ou alors 654 321 ?", stamp=STAMP + 2))
    assert record_message(user("mon numéro 0612345678", stamp=STAMP + 3))
    assert transcript(ticket_id)[1:] == [
        ("customer", f"code {CODE_MASK}"),
        ("customer", f"ou alors {CODE_MASK} ?"),
        ("customer", "mon numéro 0612345678"),
    ]


@pytest.mark.parametrize(
    "event",
    [
        user("bonjour", sender="conv-2"),  # no ticket for this conversation
        user('/inform{"callback_slot": "2026-12-07T09:00"}'),  # a tapped button
        bot("Alice : bonjour", metadata={"handoff": {"ticket": 1, "agent": "Alice"}}),
        user("   "),
        user("bonjour", sender=""),
        {"event": "action", "sender_id": "conv-1", "name": "action_listen"},
        {"event": "slot", "sender_id": "conv-1", "name": "x", "text": "x"},
    ],
)
def test_other_conversations_buttons_agents_and_other_events_are_skipped(
    ticket_id, event
):
    HandoffEventBroker().publish(event)
    assert transcript(ticket_id) == [("customer", "je veux un conseiller")]


def test_the_message_already_in_the_transcript_is_not_duplicated(ticket_id):
    assert not record_message(user("je veux un conseiller", stamp=STAMP))
    assert record_message(user("je veux un conseiller", stamp=STAMP + 60))
    assert [text for _, text in transcript(ticket_id)] == ["je veux un conseiller"] * 2


def test_a_closed_ticket_receives_nothing_more(ticket_id):
    with session_scope() as session:
        tickets.find(session, ticket_id).state = "closed"
    assert not record_message(user("encore là ?", stamp=STAMP + 1))
    assert len(transcript(ticket_id)) == 1


def test_a_failure_is_logged_and_never_raised(database_url, monkeypatch, caplog):
    # A database without the schema: the lookup fails.
    monkeypatch.setenv("DATABASE_URL", database_url.replace("test.db", "empty.db"))
    get_settings.cache_clear()
    with caplog.at_level(logging.ERROR, logger="channels.handoff_broker"):
        HandoffEventBroker().publish(user("bonjour"))
    assert "could not be added to its ticket" in caplog.text
    with pytest.raises(Exception, match="no such table"):
        record_message(user("bonjour"))


async def test_the_broker_is_built_from_endpoints_and_creates_the_schema(database_url):
    broker = await HandoffEventBroker.from_endpoint_config(None)
    assert isinstance(broker, HandoffEventBroker)
    with session_scope() as session:
        assert tickets.latest_for(session, "conv-1") is None


def _ticket_queries(url: str) -> list[str]:
    """Collect the SQL statements that read the tickets table from now on."""
    from sqlalchemy import event

    from bot.db import make_engine

    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and "ticket" in statement:
            seen.append(statement)

    event.listen(make_engine(url), "before_cursor_execute", record)
    return seen


def test_a_whole_turn_reaches_the_ticket_together(ticket_id):
    HandoffEventBroker().publish_many(
        [
            user("vous êtes là ?", stamp=STAMP + 1),
            {"event": "action", "sender_id": "conv-1", "name": "action_listen"},
            bot("Vous êtes 1er dans la file.", stamp=STAMP + 2),
            bot("Un conseiller arrive.", stamp=STAMP + 3),
        ]
    )
    assert transcript(ticket_id)[1:] == [
        ("customer", "vous êtes là ?"),
        ("assistant", "Vous êtes 1er dans la file."),
        ("assistant", "Un conseiller arrive."),
    ]


def test_a_turn_without_a_ticket_costs_one_lookup(migrated_url):
    queries = _ticket_queries(migrated_url)
    HandoffEventBroker().publish_many(
        [user("bonjour", sender="conv-9"), bot("Bonjour !", sender="conv-9")]
        + [bot(f"réponse {n}", sender="conv-9") for n in range(3)]
    )
    assert len(queries) == 1


def test_events_of_several_conversations_each_reach_their_own_ticket(ticket_id):
    added = HandoffEventBroker().publish_many(
        [user("bonjour", sender="conv-2"), user("toujours là", stamp=STAMP + 5)]
    )
    assert added is None  # publish_many answers nothing; the transcript tells
    assert transcript(ticket_id)[1:] == [("customer", "toujours là")]
