"""Playing a conversation's turns through a fake assistant."""

from __future__ import annotations

from collections.abc import Callable

from scripts.dialogue_eval.player import BotUnavailable, Messages, play
from scripts.dialogue_eval.spec import Conversation, Turn

CONFIRM = [
    {
        "text": "Vous confirmez ?",
        "buttons": [
            {"title": "Oui, je confirme", "payload": "/affirm"},
            {"title": "Non", "payload": "/deny"},
        ],
    }
]


def _conversation(*turns: Turn, line: str | None = "0612345678") -> Conversation:
    return Conversation(id="t-1", category="change", turns=turns, line=line)


def _bot(answers: dict[str, Messages]) -> tuple[Callable[[str], Messages], list[str]]:
    """A fake assistant answering from a table, and the list of what it received."""
    received: list[str] = []

    def send(message: str) -> Messages:
        received.append(message)
        return answers.get(message, [{"text": f"echo {message}"}])

    return send, received


def test_a_say_is_sent_as_written():
    send, received = _bot({})
    played = play(_conversation(Turn(say="bonjour")), send, lambda line: None)
    assert received == ["bonjour"]
    assert played.turns[0].answers == [{"text": "echo bonjour"}]
    assert played.aborted is None


def test_code_is_replaced_by_the_latest_code_sent_to_the_line():
    send, received = _bot({})
    asked: list[str] = []

    def latest_code(line: str) -> str | None:
        asked.append(line)
        return "048213"

    played = play(_conversation(Turn(say="mon code : {code}")), send, latest_code)
    assert received == ["mon code : 048213"]
    assert asked == ["0612345678"]
    assert played.turns[0].typed == "mon code : {code}"


def test_a_code_never_sent_stops_the_conversation_with_the_reason():
    send, received = _bot({})
    turns = (Turn(say="bonjour"), Turn(say="{code}"), Turn(say="merci"))
    played = play(_conversation(*turns), send, lambda line: None)
    assert received == ["bonjour"]
    assert played.aborted is not None
    assert played.aborted.line() == (
        "turn 2: expected a verification SMS to 0612345678 for {code}; "
        "got no code was sent"
    )


def test_a_click_sends_the_payload_of_the_button_whose_title_starts_with_the_text():
    send, received = _bot({"je veux décaler": CONFIRM})
    turns = (Turn(say="je veux décaler"), Turn(click="oui"))
    played = play(_conversation(*turns), send, lambda line: None)
    assert received == ["je veux décaler", "/affirm"]
    assert played.turns[1].clicked == "Oui, je confirme"


def test_a_click_by_number_sends_that_buttons_payload():
    send, received = _bot({"x": CONFIRM})
    play(_conversation(Turn(say="x"), Turn(click=2)), send, lambda line: None)
    assert received == ["x", "/deny"]


def test_a_click_uses_the_buttons_still_shown_after_an_empty_answer():
    send, received = _bot({"x": CONFIRM, "allô ?": []})
    turns = (Turn(say="x"), Turn(say="allô ?"), Turn(click="Non"))
    play(_conversation(*turns), send, lambda line: None)
    assert received == ["x", "allô ?", "/deny"]


def test_a_missing_button_stops_the_conversation_naming_the_buttons_offered():
    send, received = _bot({"x": CONFIRM})
    turns = (Turn(say="x"), Turn(click="Peut-être"), Turn(say="y"))
    played = play(_conversation(*turns), send, lambda line: None)
    assert received == ["x"]
    assert played.aborted is not None
    assert played.aborted.line() == (
        "turn 2 click: expected a button starting with 'Peut-être'; "
        "got buttons 'Oui, je confirme', 'Non'"
    )


def test_a_click_after_an_answer_without_buttons_says_there_was_none():
    send, _ = _bot({})
    played = play(_conversation(Turn(say="x"), Turn(click=1)), send, lambda line: None)
    assert played.aborted is not None
    assert played.aborted.got == "no button in the last answer"
    assert played.aborted.expected == "button number 1"


def test_an_assistant_that_does_not_answer_stops_the_conversation():
    def send(message: str) -> Messages:
        raise BotUnavailable("connection refused")

    played = play(_conversation(Turn(say="x"), Turn(say="y")), send, lambda line: None)
    assert len(played.turns) == 1
    assert played.aborted is not None
    assert played.aborted.got == "error: connection refused"
