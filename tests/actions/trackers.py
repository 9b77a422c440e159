"""Trackers and events as the action server receives them (plain dicts), and how
to run an action and read what it said."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.config import DEFAULT_FIXTURE, Settings
from bot.db import session_scope
from bot.seed import load_fixture, seed
from bot.verification import CheckResult, check_code, send_code

STAMP = 1_796_630_400.0  # 2026-12-07 08:00 UTC
MARIE = "0612345678"  # a demo customer's line


def user(
    text: str, intent: str, stamp: float = STAMP, entities: list | None = None
) -> dict[str, Any]:
    """A customer's message on the web widget."""
    return {
        "event": "user",
        "text": text,
        "timestamp": stamp,
        "input_channel": "socketio",
        "parse_data": {
            "text": text,
            "intent": {"name": intent, "confidence": 0.9},
            "entities": entities or [],
        },
    }


def bot(text: str, response: str, stamp: float = STAMP) -> dict[str, Any]:
    """One of the assistant's responses."""
    return {
        "event": "bot",
        "text": text,
        "timestamp": stamp,
        "metadata": {"utter_action": response},
    }


def tracker(
    sender: str = "conv-1",
    *,
    events: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    latest: dict[str, Any] | None = None,
) -> Tracker:
    """A tracker of conversation `sender` with these events and slots."""
    events = events or [user("je veux un conseiller", "request_human")]
    latest = latest or events[-1].get("parse_data") or {}
    return Tracker(
        sender, dict(slots or {}), latest, events, False, None, {}, "action_listen"
    )


async def run(action: Action, the_tracker: Tracker) -> tuple[list[dict], list[dict]]:
    """Run the action: (the messages it sent, the events it returned)."""
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, the_tracker, {})
    return [dict(m) for m in dispatcher.messages], events


def responses(messages: list[dict]) -> list[str]:
    """The names of the responses sent."""
    return [message["response"] for message in messages]


def verify(conversation: str = "conv-1") -> None:
    """The demo data, and `conversation` typed the code sent to Marie's number."""
    settings = Settings(secret_key="test")
    with session_scope() as session:
        seed(session, load_fixture(DEFAULT_FIXTURE), date.today())
        code = send_code(
            session, msisdn=MARIE, conversation_id=conversation, settings=settings
        )
        checked = check_code(
            session,
            msisdn=MARIE,
            conversation_id=conversation,
            code=code,
            settings=settings,
        )
        assert checked.result is CheckResult.VERIFIED
