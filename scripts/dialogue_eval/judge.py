"""Judge a finished conversation: the checks of the README, and wrong actions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from .player import Failure, Played, TurnRecord
from .spec import Conversation
from .text import answer_pieces, excerpt, item_matches, matching_piece


class PortingState(NamedTuple):
    """What the checks look at in a porting row."""

    scheduled_on: str  # YYYY-MM-DD
    slot: str
    status: str

    def describe(self) -> str:
        """The state in words, e.g. "2026-12-14 morning scheduled"."""
        return f"{self.scheduled_on} {self.slot} {self.status}"


Portings = dict[str, PortingState]  # by line (msisdn)


@dataclass
class EndState:
    """What the database holds at the end of a conversation."""

    seeded: Portings
    final: Portings
    sent: list[str] = field(default_factory=list)  # kinds of the outbox messages
    handoffs: list[str] = field(default_factory=list)  # kinds of the tickets


@dataclass
class Verdict:
    """The conversation's failed checks and the lines wrongly acted upon."""

    failures: list[Failure]
    wrong_actions: list[str]

    @property
    def right(self) -> bool:
        """True when every check passed."""
        return not self.failures


def judge(conversation: Conversation, played: Played, end: EndState) -> Verdict:
    """Every check of the conversation against what it played and left behind."""
    failures = [played.aborted] if played.aborted else []
    for record, turn in zip(played.turns, conversation.turns, strict=False):
        failures.extend(turn_failures(record, turn.reply, turn.silent))
    failures.extend(porting_failures(conversation, end))
    failures.extend(sent_failures(conversation.expect.sent, end.sent))
    failures.extend(handoff_failures(conversation.expect.handoff, end.handoffs))
    pieces = [
        piece for record in played.turns for piece in answer_pieces(record.answers)
    ]
    failures.extend(says_failures(conversation.expect.says, pieces))
    failures.extend(never_says_failures(conversation.expect.never_says, pieces))
    return Verdict(failures, wrong_actions(conversation, end))


def turn_failures(
    record: TurnRecord, reply: Sequence[str], silent: bool
) -> list[Failure]:
    """The `reply` items missing from this turn's answer, or an answer to a silent
    turn."""
    pieces = answer_pieces(record.answers)
    said = repr(excerpt(" / ".join(pieces))) if pieces else "no answer"
    failures = [
        Failure(f"turn {record.number} reply", repr(item), said)
        for item in reply
        if not item_matches(item, pieces)
    ]
    if silent and record.answers:
        failures.append(Failure(f"turn {record.number} silent", "no answer", said))
    return failures


def porting_matches(
    expected: str, seeded: PortingState | None, final: PortingState | None
) -> bool:
    """True when the porting ended as expected: unchanged, cancelled or that date."""
    if expected == "unchanged":
        return final == seeded
    if final is None:
        return False
    if expected == "cancelled":
        return final.status == "cancelled"
    return final.status == "scheduled" and final.scheduled_on == expected


def describe(state: PortingState | None, seeded: PortingState | None) -> str:
    """A porting's state in words, saying when it is the seeded one."""
    if state is None:
        return "no porting"
    return state.describe() + (" (unchanged)" if state == seeded else "")


def porting_failures(conversation: Conversation, end: EndState) -> list[Failure]:
    """The line's porting not as expected, and any other porting changed."""
    failures: list[Failure] = []
    line = conversation.line
    if line is not None:
        seeded, final = end.seeded.get(line), end.final.get(line)
        expected = conversation.expect.porting
        if not porting_matches(expected, seeded, final):
            failures.append(
                Failure(f"porting {line}", expected, describe(final, seeded))
            )
    for msisdn in sorted(set(end.seeded) | set(end.final)):
        seeded, final = end.seeded.get(msisdn), end.final.get(msisdn)
        if msisdn != line and final != seeded:
            failures.append(
                Failure(
                    f"porting {msisdn} (other line)",
                    "unchanged",
                    describe(final, seeded),
                )
            )
    return failures


def wrong_actions(conversation: Conversation, end: EndState) -> list[str]:
    """The lines whose porting ended changed or cancelled though not expected so."""
    wrong = []
    for msisdn in sorted(set(end.seeded) | set(end.final)):
        seeded, final = end.seeded.get(msisdn), end.final.get(msisdn)
        if final == seeded:
            continue
        expected = (
            conversation.expect.porting if msisdn == conversation.line else "unchanged"
        )
        if not porting_matches(expected, seeded, final):
            wrong.append(msisdn)
    return wrong


def count_kinds(kinds: Sequence[str]) -> str:
    """ "code x2, change_sms", or "nothing"."""
    counted = Counter(kinds)
    return (
        ", ".join(
            kind if n == 1 else f"{kind} x{n}" for kind, n in sorted(counted.items())
        )
        or "nothing"
    )


def sent_failures(expected: Sequence[str], sent: Sequence[str]) -> list[Failure]:
    """The kinds sent must be exactly the kinds expected (each any number of times)."""
    if set(expected) == set(sent):
        return []
    return [Failure("sent", "[" + ", ".join(sorted(expected)) + "]", count_kinds(sent))]


def handoff_failures(expected: str, handoffs: Sequence[str]) -> list[Failure]:
    """No ticket for `none`, else tickets of the expected kind only."""
    got = sorted(set(handoffs))
    wanted = [] if expected == "none" else [expected]
    if got == wanted:
        return []
    return [Failure("handoff", expected, ", ".join(got) or "none")]


def says_failures(items: Sequence[str], pieces: Sequence[str]) -> list[Failure]:
    """The `says` items that appear nowhere in the answers."""
    return [
        Failure("says", repr(item), "not in the answers")
        for item in items
        if not item_matches(item, pieces)
    ]


def never_says_failures(items: Sequence[str], pieces: Sequence[str]) -> list[Failure]:
    """The `never_says` items that appear in an answer, with that answer."""
    failures = []
    for item in items:
        piece = matching_piece(item, pieces)
        if piece is not None:
            failures.append(
                Failure("never_says", f"never {item!r}", repr(excerpt(piece)))
            )
    return failures
