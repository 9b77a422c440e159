"""Telegram through the secret-token connector on a real Rasa server."""

from __future__ import annotations

import json
import random

import pytest

from tests.bot.messaging.fakes import Request
from tests.channels.e2e.conftest import (
    OPERATOR,
    TELEGRAM_WEBHOOK_URL,
    Answer,
    ChannelServers,
    Fakes,
    post,
)
from tests.channels.fakes import (
    TELEGRAM_SECRET,
    TELEGRAM_TOKEN,
    telegram_callback,
    telegram_message,
)
from tests.e2e.conftest import Conversation

PATH = "/webhooks/telegram_secret/webhook"
KEYBOARD = {
    "inline_keyboard": [
        [
            {
                "text": "Modifier ma date de portabilité",
                "callback_data": "/change_porting_date",
            }
        ],
        [{"text": "Suivre ma commande", "callback_data": "/order_status"}],
        [{"text": "Pièces justificatives", "callback_data": "/ask_documents"}],
        [{"text": "Accès à mon espace client", "callback_data": "/recover_access"}],
    ]
}


def new_chat() -> int:
    return random.randrange(10**9, 10**10)


def new_update_id() -> int:
    return random.randrange(10**8, 10**9)


def send(
    servers: ChannelServers, update: dict, secret: str | None = TELEGRAM_SECRET
) -> Answer:
    """POST an update as Telegram does, with our secret token unless told otherwise."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    return post(servers.rasa_url + PATH, json.dumps(update).encode(), headers)


def calls(fakes: Fakes, method: str, chat: int | None = None) -> list[dict]:
    """The bodies of the Bot API calls `method` (to `chat`) the fake received."""
    found = []
    for request in fakes.telegram.requests:
        if request.path != f"/bot{TELEGRAM_TOKEN}/{method}":
            continue
        body = request_json(request)
        if chat is None or str(body.get("chat_id")) == str(chat):
            found.append(body)
    return found


def request_json(request: Request) -> dict:
    body = request.json
    assert isinstance(body, dict)
    return body


def test_the_webhook_is_registered_with_our_secret_token_at_start(servers, fakes):
    assert calls(fakes, "setWebhook") == [
        {
            "url": TELEGRAM_WEBHOOK_URL,
            "secret_token": TELEGRAM_SECRET,
            "allowed_updates": ["message", "callback_query"],
        }
    ]


def test_start_gets_the_greeting_with_an_inline_keyboard(servers, fakes):
    chat = new_chat()
    assert (
        send(servers, telegram_message(new_update_id(), chat, "/start")).status == 200
    )
    messages = calls(fakes, "sendMessage", chat)
    assert messages, "no message reached the fake Bot API"
    assert OPERATOR in messages[0]["text"]
    assert messages[-1]["reply_markup"] == KEYBOARD
    assert "1." not in messages[-1]["text"]  # buttons, not a numbered list


def test_a_button_tap_is_acknowledged_and_answered_as_its_payload(servers, fakes):
    chat = new_chat()
    send(servers, telegram_message(new_update_id(), chat, "bonjour"))
    before = len(calls(fakes, "sendMessage", chat))
    update = telegram_callback(new_update_id(), chat, "/order_status")
    assert send(servers, update).status == 200
    acknowledged = calls(fakes, "answerCallbackQuery")
    assert {"callback_query_id": update["callback_query"]["id"]} in acknowledged
    texts = [m["text"] for m in calls(fakes, "sendMessage", chat)[before:]]
    rest = Conversation(servers)
    rest.say("bonjour")
    assert texts == [reply["text"] for reply in rest.say("/order_status")]


def test_a_replayed_update_gets_no_second_answer(servers, fakes):
    chat = new_chat()
    update = telegram_message(new_update_id(), chat, "bonjour")
    send(servers, update)
    answered = len(calls(fakes, "sendMessage", chat))
    assert answered > 0
    assert send(servers, update).status == 200
    assert len(calls(fakes, "sendMessage", chat)) == answered


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", TELEGRAM_SECRET + "x"])
def test_an_update_without_our_secret_token_is_refused_with_403(servers, fakes, secret):
    chat = new_chat()
    answer = send(servers, telegram_message(new_update_id(), chat, "bonjour"), secret)
    assert answer.status == 403
    assert calls(fakes, "sendMessage", chat) == []


def test_a_group_message_is_accepted_but_never_answered(servers, fakes):
    chat = -new_chat()
    update = telegram_message(new_update_id(), chat, "bonjour")
    update["message"]["chat"] = {"id": chat, "type": "group", "title": "Famille"}
    assert send(servers, update).status == 200
    assert calls(fakes, "sendMessage", chat) == []
