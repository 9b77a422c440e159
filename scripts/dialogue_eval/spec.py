"""The conversation files of tests/dialogues/README.md: load them and check them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from .messages import SENT_KINDS
from .text import alternatives

CATEGORIES = (
    "change",
    "cancel",
    "status",
    "order",
    "documents",
    "access",
    "porting_faq",
    "other_faq",
    "dates",
    "misunderstanding",
    "code_not_received",
    "english",
    "emotion",
    "smalltalk",
    "handoff",
    "mixed",
)
HANDOFFS = ("none", "chat", "callback")
PORTING_WORDS = ("unchanged", "cancelled")
CODE = "{code}"
FILE_KEYS = {"writer", "conversations"}
CONVERSATION_KEYS = {"id", "category", "line", "turns", "expect"}
TURN_KEYS = {"say", "click", "reply", "silent"}
EXPECT_KEYS = {"porting", "sent", "handoff", "says", "never_says"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class FormatError(ValueError):
    """One or more conversations do not follow the format; one problem a line."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class Turn:
    """What the customer types (`say`) or taps (`click`), and the checks of its
    answer."""

    say: str | None = None
    click: str | int | None = None
    reply: tuple[str, ...] = ()
    silent: bool = False


@dataclass(frozen=True)
class Expect:
    """The outcome a customer is owed at the end of the conversation."""

    porting: str = "unchanged"  # unchanged | cancelled | YYYY-MM-DD
    sent: tuple[str, ...] = ()
    handoff: str = "none"
    says: tuple[str, ...] = ()
    never_says: tuple[str, ...] = ()


@dataclass(frozen=True)
class Conversation:
    """One scripted conversation of a file."""

    id: str
    category: str
    turns: tuple[Turn, ...]
    expect: Expect = field(default_factory=Expect)
    line: str | None = None
    source: str = ""


def dialogue_files(paths: Iterable[str | Path]) -> list[Path]:
    """The .yml/.yaml files given, and those directly inside the folders given."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(
                sorted(p for p in path.iterdir() if p.suffix in {".yml", ".yaml"})
            )
        else:
            found.append(path)
    return found


def load_sets(paths: Iterable[str | Path], lines: Iterable[str]) -> list[Conversation]:
    """Every conversation of the files (or folders); FormatError listing every
    problem, including an id used twice."""
    conversations: list[Conversation] = []
    problems: list[str] = []
    for path in dialogue_files(paths):
        found, wrong = check_file(path, lines)
        conversations.extend(found)
        problems.extend(wrong)
    problems.extend(duplicate_ids(conversations))
    if problems:
        raise FormatError(problems)
    return conversations


def duplicate_ids(conversations: Sequence[Conversation]) -> list[str]:
    """A problem line for each id used more than once, naming where."""
    where: dict[str, list[str]] = {}
    for conversation in conversations:
        where.setdefault(conversation.id, []).append(conversation.source)
    return [
        f"{sources[1]}: {id_}: id used {len(sources)} times ({', '.join(sources)})"
        for id_, sources in where.items()
        if len(sources) > 1
    ]


def check_file(
    path: str | Path, lines: Iterable[str]
) -> tuple[list[Conversation], list[str]]:
    """The well-formed conversations of a file, and a line per problem found."""
    source = str(path)
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return [], [f"{source}: cannot read the file: {exc}".replace("\n", " ")]
    if not isinstance(raw, dict) or not isinstance(raw.get("conversations"), list):
        return [], [f"{source}: expected a mapping with a 'conversations' list"]
    problems = [f"{source}: unknown key {key!r}" for key in set(raw) - FILE_KEYS]
    if not isinstance(raw.get("writer", ""), str):
        problems.append(f"{source}: 'writer' must be a text")
    known_lines = set(lines)
    conversations: list[Conversation] = []
    for index, item in enumerate(raw["conversations"]):
        name = item.get("id") if isinstance(item, dict) else None
        label = f"{source}: {name if isinstance(name, str) else f'#{index + 1}'}"
        try:
            conversation = parse_conversation(item, known_lines)
        except ValueError as exc:
            problems.append(f"{label}: {exc}")
            continue
        conversations.append(replace(conversation, source=source))
    return conversations, problems


def parse_conversation(raw: Any, lines: set[str]) -> Conversation:
    """A conversation from its YAML mapping; ValueError naming the first problem."""
    if not isinstance(raw, dict):
        raise ValueError(f"expected a mapping, got {raw!r}")
    _no_unknown_keys(raw, CONVERSATION_KEYS, "")
    id_ = raw.get("id")
    if not isinstance(id_, str) or not id_.strip():
        raise ValueError("'id' must be a non-empty text")
    if raw.get("category") not in CATEGORIES:
        raise ValueError(
            f"unknown category {raw.get('category')!r} (known: {', '.join(CATEGORIES)})"
        )
    line = raw.get("line")
    if line is not None:
        line = re.sub(r"[\s.]", "", str(line))
        if line not in lines:
            raise ValueError(f"line {raw['line']!r} is not a demo line")
    turns = raw.get("turns")
    if not isinstance(turns, list) or not turns:
        raise ValueError("'turns' must be a non-empty list")
    parsed = tuple(parse_turn(turn, n, line) for n, turn in enumerate(turns, 1))
    expect = parse_expect(raw.get("expect") or {})
    if expect.porting != "unchanged" and line is None:
        raise ValueError(f"expect.porting {expect.porting!r} needs a 'line'")
    return Conversation(id_.strip(), raw["category"], parsed, expect, line)


def parse_turn(raw: Any, number: int, line: str | None) -> Turn:
    """A turn from its YAML mapping; ValueError naming the turn and the problem."""
    where = f"turn {number}"
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected a mapping with 'say' or 'click'")
    _no_unknown_keys(raw, TURN_KEYS, f"{where}: ")
    if ("say" in raw) == ("click" in raw):
        raise ValueError(f"{where}: exactly one of 'say' and 'click'")
    say, click = raw.get("say"), raw.get("click")
    if "say" in raw and (not isinstance(say, str) or not say.strip()):
        raise ValueError(f"{where}: 'say' must be a non-empty text (quote it)")
    if say is not None and CODE in say and line is None:
        raise ValueError(f"{where}: {CODE} needs the conversation's 'line'")
    if "click" in raw and not _is_click(click):
        raise ValueError(f"{where}: 'click' must be a title's start or a number >= 1")
    silent = raw.get("silent", False)
    if not isinstance(silent, bool):
        raise ValueError(f"{where}: 'silent' must be true or false")
    reply = _items(raw.get("reply"), f"{where}: reply")
    if silent and reply:
        raise ValueError(f"{where}: 'silent: true' with a 'reply' to check")
    return Turn(say=say, click=click, reply=reply, silent=silent)


def parse_expect(raw: Any) -> Expect:
    """The `expect` mapping; ValueError naming the first problem."""
    if not isinstance(raw, dict):
        raise ValueError("'expect' must be a mapping")
    _no_unknown_keys(raw, EXPECT_KEYS, "expect: ")
    porting = raw.get("porting", "unchanged")
    if isinstance(porting, dt.date):  # an unquoted date in YAML
        porting = porting.isoformat()
    if porting not in PORTING_WORDS and not _is_iso_date(porting):
        raise ValueError(
            f"expect.porting {porting!r}: unchanged, cancelled or a YYYY-MM-DD date"
        )
    sent = raw.get("sent") or []
    if not isinstance(sent, list) or any(kind not in SENT_KINDS for kind in sent):
        raise ValueError(f"expect.sent {sent!r}: a list of {', '.join(SENT_KINDS)}")
    handoff = raw.get("handoff", "none")
    if handoff not in HANDOFFS:
        raise ValueError(f"expect.handoff {handoff!r}: one of {', '.join(HANDOFFS)}")
    return Expect(
        porting=porting,
        sent=tuple(dict.fromkeys(sent)),
        handoff=handoff,
        says=_items(raw.get("says"), "expect.says"),
        never_says=_items(raw.get("never_says"), "expect.never_says"),
    )


def _items(raw: Any, where: str) -> tuple[str, ...]:
    """A list of texts, each with at least one non-empty `|` alternative."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ValueError(f"{where}: expected a list of texts, got {raw!r}")
    for item in raw:
        if not isinstance(item, str) or not alternatives(item):
            raise ValueError(f"{where}: {item!r} is not a non-empty text")
        if any(not part.strip() for part in item.split("|")):
            raise ValueError(f"{where}: {item!r} has an empty alternative")
    return tuple(raw)


def _is_click(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value >= 1
    return isinstance(value, str) and bool(value.strip())


def _is_iso_date(value: Any) -> bool:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _no_unknown_keys(raw: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(str(key) for key in set(raw) - allowed)
    if unknown:
        raise ValueError(
            f"{where}unknown key {', '.join(map(repr, unknown))} "
            f"(allowed: {', '.join(sorted(allowed))})"
        )
