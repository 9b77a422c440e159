"""Messenger webhook events read, quick replies built, Send API called."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.channels.buttons import Choice
from bot.channels.messenger_api import (
    MessengerSendApi,
    quick_replies,
    read_events,
    titles_fit,
)
from bot.messaging import SendError
from tests.bot.messaging.fakes import FakeServer
from tests.channels.fakes import (
    GRAPH_VERSION,
    PAGE_TOKEN,
    GraphBehaviour,
    messenger_event,
    messenger_postback,
)

SHORT = [Choice("Oui", "/affirm"), Choice("Non", "/deny")]
LONG = [Choice("Modifier ma date de portabilité", "/change_porting_date")]


@pytest.fixture
def fake_graph() -> Iterator[FakeServer]:
    server = FakeServer(respond=GraphBehaviour()).start()
    yield server
    server.stop()


def test_a_text_gives_its_mid_sender_and_text():
    [incoming] = read_events(messenger_event("PSID1", "m_1", "bonjour"))
    assert (incoming.message_id, incoming.sender, incoming.text) == (
        "m_1",
        "PSID1",
        "bonjour",
    )


def test_a_quick_reply_gives_its_payload_not_its_title():
    payload = messenger_event("PSID1", "m_2", "Suivre ma commande", "/order_status")
    assert read_events(payload)[0].text == "/order_status"


def test_a_postback_without_mid_is_known_by_sender_and_time():
    [incoming] = read_events(messenger_postback("PSID1", "/greet", timestamp=17))
    assert (incoming.message_id, incoming.text) == ("postback:PSID1:17", "/greet")


def test_every_event_of_a_batch_is_read():
    payload = messenger_event("PSID1", "m_1", "un")
    payload["entry"].append(messenger_event("PSID2", "m_2", "deux")["entry"][0])
    assert [i.text for i in read_events(payload)] == ["un", "deux"]


def test_echoes_of_our_own_messages_are_ignored():
    payload = messenger_event("PSID1", "m_3", "Bonjour")
    payload["entry"][0]["messaging"][0]["message"]["is_echo"] = True
    assert read_events(payload) == []


@pytest.mark.parametrize(
    "payload",
    [
        {"object": "instagram", "entry": []},
        messenger_event("PSID1", "m_4", ""),
        {"object": "page", "entry": [{"messaging": [{"delivery": {}}]}]},
    ],
    ids=["another object", "empty text", "delivery receipt"],
)
def test_what_is_no_customer_message_is_ignored(payload):
    assert read_events(payload) == []


def test_short_titles_are_quick_replies_and_long_ones_are_numbered():
    assert titles_fit(SHORT) and not titles_fit(LONG)
    assert quick_replies(SHORT, None)[0] == {
        "content_type": "text",
        "title": "Oui",
        "payload": "/affirm",
    }
    assert quick_replies(LONG, 2)[0]["title"] == "2"


def test_the_send_api_gets_the_text_and_quick_replies_with_the_token(fake_graph):
    api = MessengerSendApi(PAGE_TOKEN, api_base_url=fake_graph.url + GRAPH_VERSION)
    api.send("PSID1", "Vous confirmez ?", quick_replies(SHORT, None))
    [request] = fake_graph.requests
    assert request.headers["authorization"] == f"Bearer {PAGE_TOKEN}"
    assert PAGE_TOKEN not in request.path
    assert request.json == {
        "recipient": {"id": "PSID1"},
        "messaging_type": "RESPONSE",
        "message": {
            "text": "Vous confirmez ?",
            "quick_replies": quick_replies(SHORT, None),
        },
    }


def test_a_refusal_by_the_send_api_is_a_send_error(fake_graph):
    api = MessengerSendApi("wrong", api_base_url=fake_graph.url + GRAPH_VERSION)
    with pytest.raises(SendError, match="HTTP 401") as error:
        api.send("PSID1", "x")
    assert error.value.retryable is False
