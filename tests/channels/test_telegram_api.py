"""Telegram updates read, keyboards built, and Bot API calls made."""

from __future__ import annotations

import traceback
from collections.abc import Iterator

import pytest

from bot.channels.buttons import Choice
from bot.channels.telegram_api import (
    TelegramBotApi,
    inline_keyboard,
    is_start,
    needs_numbers,
    read_update,
)
from bot.messaging import SendError
from tests.bot.messaging.fakes import FakeServer
from tests.channels.fakes import (
    TELEGRAM_TOKEN,
    TelegramBehaviour,
    telegram_callback,
    telegram_message,
)

CHOICES = [Choice("Suivre ma commande", "/order_status"), Choice("Non", "/deny")]


@pytest.fixture
def fake_telegram() -> Iterator[FakeServer]:
    server = FakeServer(respond=TelegramBehaviour()).start()
    yield server
    server.stop()


def test_a_private_text_gives_the_update_id_the_chat_and_the_text():
    found = read_update(telegram_message(10, 4242, "bonjour"))
    assert found is not None and found.callback_query_id is None
    assert (found.incoming.message_id, found.incoming.sender) == ("10", "4242")
    assert found.incoming.text == "bonjour"


def test_a_button_tap_gives_its_data_and_the_query_to_acknowledge():
    found = read_update(telegram_callback(11, 4242, "/order_status"))
    assert found is not None
    assert (found.incoming.sender, found.incoming.text) == ("4242", "/order_status")
    assert found.callback_query_id == "438211"


def test_group_chats_are_ignored_so_nothing_personal_is_said_there():
    update = telegram_message(12, -100123, "bonjour")
    update["message"]["chat"] = {"id": -100123, "type": "group", "title": "Amis"}
    assert read_update(update) is None


@pytest.mark.parametrize(
    "update",
    [
        {"update_id": 13, "edited_message": telegram_message(13, 1, "x")["message"]},
        {"update_id": 14, "message": {"chat": {"id": 1, "type": "private"}}},
        {"message": telegram_message(15, 1, "x")["message"]},
        {"update_id": 16, "my_chat_member": {}},
    ],
    ids=["edited", "photo without text", "no update id", "membership"],
)
def test_updates_that_are_no_customer_text_are_ignored(update):
    assert read_update(update) is None


@pytest.mark.parametrize("text", ["/start", "/start promo", "/start@AssistantBot"])
def test_the_start_command_is_recognised(text):
    assert is_start(text)


def test_a_text_mentioning_start_is_not_the_command():
    assert not is_start("/starter")
    assert not is_start("je veux /start")


def test_buttons_become_one_inline_button_a_row_with_their_payload():
    assert inline_keyboard(CHOICES, None) == {
        "inline_keyboard": [
            [{"text": "Suivre ma commande", "callback_data": "/order_status"}],
            [{"text": "Non", "callback_data": "/deny"}],
        ]
    }


def test_payloads_over_64_bytes_are_sent_as_their_numbers():
    long = [Choice("Titulaire", '/inform{"access_role": "holder", "x": "' + "y" * 30)]
    assert needs_numbers(long) and not needs_numbers(CHOICES)
    keyboard = inline_keyboard(long, 3)
    assert keyboard["inline_keyboard"][0][0]["callback_data"] == "3"


def test_send_message_posts_the_text_and_keyboard_to_the_bot_api(fake_telegram):
    api = TelegramBotApi(TELEGRAM_TOKEN, api_base_url=fake_telegram.url, timeout=2)
    api.send_message("4242", "Bonjour", inline_keyboard(CHOICES, None))
    [request] = fake_telegram.requests
    assert request.path == f"/bot{TELEGRAM_TOKEN}/sendMessage"
    assert request.json == {
        "chat_id": "4242",
        "text": "Bonjour",
        "reply_markup": inline_keyboard(CHOICES, None),
    }


def test_set_webhook_sends_the_url_and_the_secret_token(fake_telegram):
    api = TelegramBotApi(TELEGRAM_TOKEN, api_base_url=fake_telegram.url)
    api.set_webhook("https://bot.example.test/webhooks/x/webhook", "s3cret")
    assert fake_telegram.requests[0].json == {
        "url": "https://bot.example.test/webhooks/x/webhook",
        "secret_token": "s3cret",
        "allowed_updates": ["message", "callback_query"],
    }


def test_an_error_never_shows_the_bot_token(fake_telegram, closed_port_url):
    for base in (fake_telegram.url, closed_port_url):
        api = TelegramBotApi("999:wrong-token", api_base_url=base, timeout=2)
        with pytest.raises(SendError) as error:
            api.send_message("4242", "Bonjour")
        logged = "".join(traceback.format_exception(error.value))
        assert "wrong-token" not in logged
