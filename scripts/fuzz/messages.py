"""Hostile and ordinary messages, drawn reproducibly from one seed."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scripts.fuzz.corpus import (
    BIDI,
    CONTROL,
    EMOJI,
    FALLBACK_INTENTS,
    HTML,
    NORMAL,
    SLOTS_AND_ENTITIES,
    SQL,
    TEMPLATES,
    WHITESPACE,
)

DOMAIN = Path(__file__).resolve().parents[2] / "domain.yml"
# The assistant answers longer messages with a polite "trop long".
TOO_LONG = 2000
# Longest message or entity value drawn: each one costs the server seconds (the
# sentence encoder's time grows with the length), so a run of thousands keeps them
# under this.
LONG_MAX = 2500


def domain_intents() -> list[str]:
    """The intents of domain.yml (a fixed list if it cannot be read)."""
    try:
        import yaml

        domain = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))
        names = [
            item if isinstance(item, str) else next(iter(item))
            for item in domain.get("intents", [])
        ]
        return names or FALLBACK_INTENTS
    except Exception:  # any trouble: the fixed list
        return FALLBACK_INTENTS


class MessageMaker:
    """Draws hostile and ordinary messages, reproducibly from one seed."""

    def __init__(
        self, seed: int, intents: list[str] | None = None, long_max: int = LONG_MAX
    ) -> None:
        self.rng = random.Random(seed)
        self.intents = intents or domain_intents()
        self.long_max = max(long_max, TOO_LONG + 1)
        self.kinds: list[tuple[str, int, Callable[[], str]]] = [
            ("normal", 30, self.normal),
            ("empty_or_whitespace", 5, self.whitespace),
            ("control", 5, self.control),
            ("bidi", 5, self.bidi),
            ("emoji", 5, self.emoji),
            ("html_js", 5, self.html),
            ("sql", 5, self.sql),
            ("template", 3, self.template),
            ("intent_payload", 10, self.intent_payload),
            ("too_long", 2, self.too_long),
            ("random_unicode", 7, self.random_unicode),
            ("random_bytes", 5, self.random_bytes),
            ("lone_surrogates", 2, self.lone_surrogates),
            ("mixed", 8, self.mixed),
        ]

    def draw(self) -> tuple[str, str]:
        """One message: (its kind, its text)."""
        names = [kind for kind, _, _ in self.kinds]
        weights = [weight for _, weight, _ in self.kinds]
        kind = self.rng.choices(names, weights)[0]
        make = next(make for name, _, make in self.kinds if name == kind)
        return kind, make()

    def many(self, count: int) -> list[tuple[str, str]]:
        """`count` messages."""
        return [self.draw() for _ in range(count)]

    def _pick(self, items: list[str], low: int = 1, high: int = 5) -> str:
        return "".join(
            self.rng.choice(items) for _ in range(self.rng.randint(low, high))
        )

    def normal(self) -> str:
        return self.rng.choice(NORMAL)

    def whitespace(self) -> str:
        return self._pick(WHITESPACE, 0, 6)

    def control(self) -> str:
        text = self._pick(CONTROL, 1, 30)
        return text if self.rng.random() < 0.5 else self._around_normal(text)

    def bidi(self) -> str:
        marks = self._pick(BIDI, 1, 6)
        sentence = self.normal()
        if self.rng.random() < 0.3:
            sentence = sentence[::-1]  # "nohtyp" behind a right-to-left override
        return marks + sentence + self._pick(BIDI, 0, 3)

    def emoji(self) -> str:
        longest = self.long_max // 8  # 312 by default: runs cost the encoder
        if self.rng.random() < 0.5:
            return self.rng.choice(EMOJI) * self.rng.randint(1, longest)
        return self._pick(EMOJI, 1, longest // 3)

    def html(self) -> str:
        return self._around_normal(self.rng.choice(HTML))

    def sql(self) -> str:
        return self._around_normal(self.rng.choice(SQL))

    def template(self) -> str:
        return self._around_normal(self.rng.choice(TEMPLATES))

    def intent_payload(self) -> str:
        rng = self.rng
        known = rng.random() < 0.7
        intent = (
            rng.choice(self.intents)
            if known
            else rng.choice(
                [
                    "",
                    "nlu_fallback",
                    "session_start",
                    "restart",
                    "action_submit",
                    "__init__",
                    "x" * rng.randint(1, 3000),
                    "intent with spaces",
                    "ïntent",
                    "../etc",
                ]
            )
        )
        shape = rng.random()
        if shape < 0.2:
            return f"/{intent}"
        entities = {
            rng.choice([*SLOTS_AND_ENTITIES, "unknown_entity", "", "__proto__"]): (
                self._entity_value()
            )
            for _ in range(rng.randint(1, 4))
        }
        body = json.dumps(entities, ensure_ascii=rng.random() < 0.5)
        if shape < 0.55:
            return f"/{intent}{body}"
        if shape < 0.8:  # broken JSON
            cut = rng.randint(0, max(0, len(body) - 1))
            broken = rng.choice(
                [
                    body[:cut],
                    body.replace('"', "'"),
                    body + "}}",
                    "{" + body,
                    body.replace(":", ""),
                    "{" * rng.randint(1, 3000),
                ]
            )
            return f"/{intent}{broken}"
        # confidences, lists and nesting where a value is expected
        oddity = rng.choice(
            [
                '{"date": ["2026-12-15", "2026-12-16"]}',
                '{"date": {"value": "2026-12-15"}}',
                '{"verified_msisdn": "0612345678", "otp_code": "verified"}',
                '{"requested_date": "2026-12-15", "confirmation": true}',
                '{"date": null}',
                '{"date": 1e999}',
                '{"date": -1}',
                "[]",
                "null",
                '"string"',
            ]
        )
        return f"/{intent}{oddity}" + (f"@{rng.random():.3f}" if shape > 0.95 else "")

    def _entity_value(self) -> Any:
        rng = self.rng
        roll = rng.random()
        if roll < 0.15:
            return rng.choice("x9é ") * rng.randint(TOO_LONG, self.long_max)  # huge
        if roll < 0.45:
            return rng.choice(
                [
                    "2026-12-15",
                    "2026-13-45",
                    "15/12",
                    "0612345678",
                    "+33612345678",
                    "CMD-2026-004512",
                    "02PK7T2QXTB6",
                ]
            )
        if roll < 0.6:
            return self.random_unicode(max_length=50)
        if roll < 0.7:
            return rng.choice([None, True, 0, -1, 1e308, [], {}, [1, 2], {"a": 1}])
        if roll < 0.8:
            return rng.choice(HTML + SQL + TEMPLATES)
        return self.normal()

    def too_long(self) -> str:
        rng = self.rng
        target = rng.randint(TOO_LONG + 1, self.long_max)
        source = rng.choice(["sentence", "letters", "unicode", "digits"])
        if source == "sentence":
            piece = self.normal() + " "
        elif source == "letters":
            piece = rng.choice("aéz ")
        elif source == "digits":
            piece = "06 12 34 56 78 "
        else:
            piece = self.random_unicode(max_length=40) or "é"
        text = (piece * (target // len(piece) + 1))[:target]
        if len(text.strip()) <= TOO_LONG:
            text = "a" * target
        return text

    def random_unicode(self, max_length: int = 300) -> str:
        rng = self.rng
        chars = []
        for _ in range(rng.randint(1, max_length)):
            plane = rng.random()
            if plane < 0.5:
                code = rng.randint(0x20, 0x2FF)
            elif plane < 0.85:
                code = rng.randint(0x300, 0xFFFF)
            else:
                code = rng.randint(0x10000, 0x10FFFF)
            if 0xD800 <= code <= 0xDFFF:  # surrogates have their own kind
                code = 0xFFFD
            chars.append(chr(code))
        return "".join(chars)

    def random_bytes(self) -> str:
        raw = self.rng.randbytes(self.rng.randint(1, 400))
        encoding = self.rng.choice(["utf-8", "utf-16-le", "latin-1", "cp1252"])
        return raw.decode(encoding, errors="replace")

    def lone_surrogates(self) -> str:
        """Unpaired UTF-16 halves: valid in JSON ("\\ud800"), invalid in UTF-8."""
        halves = "".join(
            chr(self.rng.randint(0xD800, 0xDFFF)) for _ in range(self.rng.randint(1, 8))
        )
        return self._around_normal(halves)

    def mixed(self) -> str:
        maker = self.rng.choice(
            [
                self.control,
                self.bidi,
                self.emoji,
                self.html,
                self.sql,
                self.template,
                self.random_unicode,
                self.random_bytes,
            ]
        )
        return self._around_normal(maker())

    def _around_normal(self, inserted: str) -> str:
        sentence = self.normal()
        cut = self.rng.randint(0, len(sentence))
        return sentence[:cut] + inserted + sentence[cut:]
