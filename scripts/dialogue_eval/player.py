"""Play one conversation's turns through a `send` function, keeping the transcript."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .spec import CODE, Conversation, Turn
from .text import button_payload, buttons_of, excerpt, find_button

Messages = list[dict[str, Any]]


class BotUnavailable(Exception):
    """The assistant did not answer a message (connection refused, time-out, 5xx)."""


@dataclass(frozen=True)
class Failure:
    """A check that did not pass: which one, what was expected, what happened."""

    check: str
    expected: str
    got: str

    def line(self) -> str:
        """The failure on one line."""
        return f"{self.check}: expected {self.expected}; got {self.got}"


@dataclass
class TurnRecord:
    """One played turn: what the script said, what was sent, what came back."""

    number: int
    typed: str  # the script's text: a `say` as written, or the `click` choice
    sent: str  # the message actually posted (code filled in, button payload)
    answers: Messages = field(default_factory=list)
    clicked: str | None = None  # the title of the clicked button

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data."""
        return {
            "turn": self.number,
            "typed": self.typed,
            "sent": self.sent,
            "clicked": self.clicked,
            "answers": self.answers,
        }


@dataclass
class Played:
    """The turns played, and why the conversation stopped early (if it did)."""

    turns: list[TurnRecord] = field(default_factory=list)
    aborted: Failure | None = None


def play(
    conversation: Conversation,
    send: Callable[[str], Messages],
    latest_code: Callable[[str], str | None],
) -> Played:
    """Play every turn; stop at the first turn that cannot be played."""
    played = Played()
    for number, turn in enumerate(conversation.turns, 1):
        buttons = buttons_of(_last_answer(played.turns))
        message, clicked, problem = _message(
            turn, number, conversation, buttons, latest_code
        )
        if problem is not None:
            played.aborted = problem
            return played
        record = TurnRecord(number, _typed(turn), message, clicked=clicked)
        played.turns.append(record)
        try:
            record.answers = send(message)
        except BotUnavailable as exc:
            played.aborted = Failure(f"turn {number}", "an answer", f"error: {exc}")
            return played
    return played


def _typed(turn: Turn) -> str:
    return turn.say if turn.say is not None else f"[click {turn.click!r}]"


def _last_answer(turns: list[TurnRecord]) -> Messages:
    """The latest non-empty answer: the buttons still on the customer's screen."""
    for record in reversed(turns):
        if record.answers:
            return record.answers
    return []


def _message(
    turn: Turn,
    number: int,
    conversation: Conversation,
    buttons: Messages,
    latest_code: Callable[[str], str | None],
) -> tuple[str, str | None, Failure | None]:
    """The text to post for a turn, the clicked title, or why it cannot be played."""
    if turn.say is not None:
        if CODE not in turn.say:
            return turn.say, None, None
        code = latest_code(conversation.line) if conversation.line else None
        if code is None:
            expected = f"a verification SMS to {conversation.line} for {CODE}"
            return "", None, Failure(f"turn {number}", expected, "no code was sent")
        return turn.say.replace(CODE, code), None, None
    assert turn.click is not None
    button = find_button(buttons, turn.click)
    if button is None:
        titles = ", ".join(repr(excerpt(str(b.get("title", "")), 40)) for b in buttons)
        wanted = (
            f"button number {turn.click}"
            if isinstance(turn.click, int)
            else f"a button starting with {turn.click!r}"
        )
        got = f"buttons {titles}" if buttons else "no button in the last answer"
        return "", None, Failure(f"turn {number} click", wanted, got)
    return button_payload(button), str(button.get("title", "")), None
