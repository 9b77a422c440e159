"""The report: share right, wrong actions, per category, failing conversations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .judge import EndState, Verdict, count_kinds
from .player import Played, TurnRecord
from .spec import CATEGORIES, Conversation
from .text import buttons_of, excerpt


@dataclass
class Result:
    """A played and judged conversation."""

    conversation: Conversation
    sender: str
    played: Played
    end: EndState
    verdict: Verdict

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data."""
        conversation, verdict = self.conversation, self.verdict
        line = conversation.line
        final = self.end.final.get(line) if line else None
        return {
            "id": conversation.id,
            "category": conversation.category,
            "source": conversation.source,
            "sender": self.sender,
            "right": verdict.right,
            "wrong_action": bool(verdict.wrong_actions),
            "wrong_action_lines": verdict.wrong_actions,
            "failures": [vars(failure) for failure in verdict.failures],
            "porting": final.describe() if final else None,
            "sent": self.end.sent,
            "handoffs": self.end.handoffs,
            "transcript": [record.to_dict() for record in self.played.turns],
        }


def percent(part: int, whole: int) -> str:
    """`part` out of `whole` as a percentage with one decimal ("–" for nothing)."""
    return f"{100 * part / whole:.1f}" if whole else "–"


def category_rows(results: Sequence[Result]) -> list[tuple[str, int, int]]:
    """(category, conversations, right) in the README's order, present ones only."""
    rows = []
    for category in CATEGORIES:
        mine = [r for r in results if r.conversation.category == category]
        if mine:
            rows.append((category, len(mine), sum(r.verdict.right for r in mine)))
    return rows


def summary(
    results: Sequence[Result], seconds: float, startup: float, verbose: bool = False
) -> str:
    """The report printed on stdout."""
    total = len(results)
    right = sum(r.verdict.right for r in results)
    wrong = [r for r in results if r.verdict.wrong_actions]
    lines = [
        f"Conversations right: {right}/{total} ({percent(right, total)} %)",
        f"Wrong actions: {len(wrong)}"
        + (
            " ("
            + ", ".join(
                f"{r.conversation.id}: {', '.join(r.verdict.wrong_actions)}"
                for r in wrong
            )
            + ")"
            if wrong
            else ""
        ),
        f"Took {seconds:.0f} s (servers up in {startup:.0f} s)",
        "",
        f"{'category':<20}{'n':>5}{'right':>7}{'%':>8}",
    ]
    for category, n, ok in category_rows(results):
        lines.append(f"{category:<20}{n:>5}{ok:>7}{percent(ok, n):>8}")
    lines.append(f"{'all':<20}{total:>5}{right:>7}{percent(right, total):>8}")
    failing = [r for r in results if not r.verdict.right]
    if failing:
        lines += ["", f"Failing conversations ({len(failing)}):"]
    for result in failing:
        lines.extend(failing_block(result, verbose))
    return "\n".join(lines)


def failing_block(result: Result, verbose: bool) -> list[str]:
    """A failing conversation: id, category, one line per failed check."""
    conversation = result.conversation
    wrong = " WRONG ACTION" if result.verdict.wrong_actions else ""
    lines = [f"{conversation.id} [{conversation.category}]{wrong}"]
    lines += [f"  - {failure.line()}" for failure in result.verdict.failures]
    if verbose:
        lines.append(f"  transcript (sender {result.sender}):")
        for record in result.played.turns:
            lines.extend("    " + line for line in transcript_lines(record))
        lines.append(f"    = sent: {count_kinds(result.end.sent)}")
    return lines


def transcript_lines(record: TurnRecord) -> list[str]:
    """A turn as the customer and the assistant saw it."""
    if record.clicked is not None:
        said = f"> [{record.clicked}] ({record.sent})"
    elif record.typed != record.sent:
        said = f"> {record.sent}   ({record.typed})"
    else:
        said = f"> {record.sent}"
    lines = [f"{record.number:>2} {said}"]
    if not record.answers:
        lines.append("   < (no answer)")
    for message in record.answers:
        if message.get("text"):
            lines.append("   < " + excerpt(str(message["text"]), 400))
        titles = [str(b.get("title", "")) for b in buttons_of([message])]
        if titles:
            lines.append("     [" + "] [".join(titles) + "]")
    return lines


def to_json(
    results: Sequence[Result], seconds: float, startup: float, sets: Sequence[str]
) -> dict:
    """Everything, for the JSON file."""
    total = len(results)
    right = sum(r.verdict.right for r in results)
    return {
        "sets": list(sets),
        "seconds": round(seconds, 1),
        "startup_seconds": round(startup, 1),
        "total": total,
        "right": right,
        "share_right": round(right / total, 4) if total else None,
        "wrong_actions": [
            r.conversation.id for r in results if r.verdict.wrong_actions
        ],
        "categories": [
            {"category": c, "n": n, "right": ok} for c, n, ok in category_rows(results)
        ],
        "conversations": [result.to_dict() for result in results],
    }
