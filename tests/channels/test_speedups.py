"""The Rasa server's speed-ups change nothing Rasa answers (channels/event_types.py,
channels/nlu_worker.py)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.utils.common import all_subclasses

from channels import event_types, nlu_worker


@pytest.mark.parametrize("event_class", all_subclasses(Event))
def test_every_event_name_resolves_to_rasas_class(event_class: type[Event]) -> None:
    expected = event_types._rasa_resolve_by_type(event_class.type_name)
    assert event_types.resolve_by_type(event_class.type_name) is expected
    # twice: the remembered answer is the same
    assert event_types.resolve_by_type(event_class.type_name) is expected


def test_unknown_names_keep_rasas_answers() -> None:
    assert event_types.resolve_by_type("no_such_event", SlotSet) is SlotSet
    assert event_types.resolve_by_type("topic") is None
    with pytest.raises(ValueError, match="no_such_event"):
        event_types.resolve_by_type("no_such_event")
    assert "no_such_event" not in event_types._resolved


def test_events_deserialise_the_same_once_installed() -> None:
    stored = [
        UserUttered("bonjour", {"name": "greet", "confidence": 0.9}).as_dict(),
        ActionExecuted("utter_greet").as_dict(),
        SlotSet("requested_date", "2026-12-14").as_dict(),
    ]
    before = [Event.from_parameters(dict(item)) for item in stored]
    original = Event.resolve_by_type
    event_types.install()
    try:
        after = [Event.from_parameters(dict(item)) for item in stored]
    finally:
        Event.resolve_by_type = original  # type: ignore[method-assign]
    assert after == before


class _Processor:
    """What parse_message uses of Rasa's MessageProcessor, recording the thread."""

    http_interpreter = None

    def __init__(self) -> None:
        self.threads: list[str] = []
        self.steps: list[str] = []

    def _parse_message_with_graph(
        self, message: UserMessage, tracker: Any, only_output_properties: bool
    ) -> dict[str, Any]:
        self.threads.append(threading.current_thread().name)
        self.steps.append(f"graph {message.text} {tracker.sender_id}")
        return {"text": message.text, "intent": {"name": "greet"}, "entities": []}

    def _update_full_retrieval_intent(self, parse_data: dict[str, Any]) -> None:
        self.steps.append("retrieval")

    def _check_for_unseen_features(self, parse_data: dict[str, Any]) -> None:
        self.steps.append("unseen")


def test_the_graph_runs_on_the_nlu_thread_then_rasas_steps() -> None:
    processor = _Processor()
    message = UserMessage("bonjour", sender_id="web-1")
    parse_data = asyncio.run(nlu_worker.parse_message(processor, message))  # type: ignore[arg-type]
    assert parse_data["intent"]["name"] == "greet"
    assert processor.threads and processor.threads[0].startswith("nlu")
    assert processor.threads[0] != threading.current_thread().name
    assert processor.steps == ["graph bonjour web-1", "retrieval", "unseen"]


def test_messages_are_understood_one_at_a_time() -> None:
    """Several conversations at once: never two graph runs together."""
    running = 0
    most = 0
    lock = threading.Lock()

    class Slow(_Processor):
        def _parse_message_with_graph(self, *args: Any) -> dict[str, Any]:
            nonlocal running, most
            with lock:
                running += 1
                most = max(most, running)
            threading.Event().wait(0.02)
            with lock:
                running -= 1
            return super()._parse_message_with_graph(*args)

    async def many() -> None:
        processor = Slow()
        messages = [UserMessage(f"m{i}", sender_id=str(i)) for i in range(6)]
        await asyncio.gather(
            *(nlu_worker.parse_message(processor, m) for m in messages)  # type: ignore[arg-type]
        )

    asyncio.run(many())
    assert most == 1
