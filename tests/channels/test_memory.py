"""Replay memory and remembered choices, in the database shared by every server."""

from __future__ import annotations

from sqlalchemy import select

from bot.channels.buttons import Choice
from bot.channels.memory import Incoming, accept
from bot.channels.store import DatabaseMemory
from bot.config import Settings
from bot.db import session_scope
from bot.models import ChannelMessage

CHOICES = [Choice("Oui, je confirme", "/affirm"), Choice("Non", "/deny")]


def memory(url: str) -> DatabaseMemory:
    return DatabaseMemory(Settings(database_url=url, secret_key="test-secret"))


def message(sid: str, text: str = "bonjour", sender: str = "+33612345678"):
    return Incoming(message_id=sid, sender=sender, text=text)


def test_a_message_is_accepted_once(database_url):
    store = memory(database_url)
    assert accept(store, "twilio_signed", message("SM1")) == "bonjour"
    assert accept(store, "twilio_signed", message("SM1")) is None


def test_a_replay_is_refused_by_another_server_too(database_url):
    assert memory(database_url).first_delivery("twilio_signed", message("SM1"))
    assert not memory(database_url).first_delivery("twilio_signed", message("SM1"))


def test_the_same_id_on_another_channel_is_another_message(database_url):
    store = memory(database_url)
    assert store.first_delivery("telegram_secret", message("1"))
    assert store.first_delivery("messenger_signed", message("1"))


def test_a_number_reply_becomes_the_payload_of_the_choice_last_offered(
    database_url,
):
    store = memory(database_url)
    first = message("SM1")
    accept(store, "twilio_signed", first)
    store.answered("twilio_signed", first, CHOICES)
    assert accept(store, "twilio_signed", message("SM2", "2")) == "/deny"


def test_an_answer_without_choices_makes_numbers_plain_text_again(database_url):
    store = memory(database_url)
    for sid, choices in (("SM1", CHOICES), ("SM2", [])):
        accept(store, "twilio_signed", message(sid))
        store.answered("twilio_signed", message(sid), choices)
    assert accept(store, "twilio_signed", message("SM3", "2")) == "2"


def test_choices_belong_to_one_sender_on_one_channel(database_url):
    store = memory(database_url)
    accept(store, "twilio_signed", message("SM1"))
    store.answered("twilio_signed", message("SM1"), CHOICES)
    other = message("SM2", "1", sender="+33699999999")
    assert accept(store, "twilio_signed", other) == "1"
    assert store.offered_choices("telegram_secret", "+33612345678") == []


def test_a_message_still_being_answered_does_not_hide_the_last_choices(
    database_url,
):
    store = memory(database_url)
    accept(store, "twilio_signed", message("SM1"))
    store.answered("twilio_signed", message("SM1"), CHOICES)
    accept(store, "twilio_signed", message("SM2", "bonjour"))  # not answered yet
    assert store.offered_choices("twilio_signed", "+33612345678") == CHOICES


def test_senders_are_stored_as_keyed_hashes_not_as_numbers(database_url):
    store = memory(database_url)
    store.first_delivery("twilio_signed", message("SM1"))
    store.answered("twilio_signed", message("SM1"), CHOICES)
    settings = Settings(database_url=database_url)
    with session_scope(settings) as session:
        row = session.execute(select(ChannelMessage)).scalar_one()
    assert "612345678" not in row.sender_key
    assert len(row.sender_key) == 64
    other_key = DatabaseMemory(Settings(database_url=database_url, secret_key="x"))
    assert other_key.offered_choices("twilio_signed", "+33612345678") == []
