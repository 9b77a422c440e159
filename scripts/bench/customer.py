"""A simulated customer: whole conversations over the REST channel, each with its own
sender id and its own bench line, every message timed; the SMS code comes from the
sink. Replies are checked, so a wrong answer counts as an error, not a fast reply."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from scripts.bench.sink import SmsSink
from scripts.bench.stats import Sample

# Each: what the customer types, a piece of the expected answer. All checked against
# the trained model with BOT_TODAY=2026-12-01 and a porting on Monday 14 December.
FAQ = (
    ("quels documents dois-je envoyer ?", "Pièces d'identité"),
    ("quelles pièces justificatives faut-il fournir ?", "Pièces d'identité"),
    ("combien de temps prend la portabilité ?", "jours ouvrables"),
    ("quel est le délai pour une portabilité ?", "jours ouvrables"),
)
CHANGE = (
    "je voudrais changer la date de ma portabilité",
    "je veux décaler ma date de portabilité",
    "je souhaite modifier la date de portage de mon numéro",
)
DATES = (
    "le samedi 19 décembre",
    "le 17 décembre",
    "le mardi 22 décembre",
    "le 9 décembre",
    "le 12 décembre",
    "le 7 janvier",
    "le vendredi 18 décembre",
)
THANKS = ("merci", "merci beaucoup", "super merci")
ADVISOR = ("je voudrais parler à un conseiller", "je veux parler à un humain")


@dataclass
class ConversationRecord:
    """One conversation: its line, how far it went, the SMS it should have caused."""

    sender: str
    msisdn: str
    phase: str
    step: int
    codes_expected: int = 0  # 1 once the assistant said a code was sent
    confirmations_expected: int = 0  # 1 once the assistant said the change is done
    code_wait: float | None = None  # seconds from "code sent" to the code in hand
    completed: bool = False
    error: str | None = None


@dataclass
class Recorder:
    """Everything the customers measured."""

    samples: list[Sample] = field(default_factory=list)
    conversations: list[ConversationRecord] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)


class LinePool:
    """Hands out each bench line once."""

    def __init__(self, numbers: list[str]) -> None:
        self._numbers: Iterator[str] = iter(numbers)
        self.size = len(numbers)
        self.used = 0

    def take(self) -> str | None:
        """The next unused line, or None when all were used."""
        number = next(self._numbers, None)
        self.used += number is not None
        return number


class Unexpected(Exception):
    """The assistant answered something else than the conversation expects."""


def spaced(msisdn: str) -> str:
    """0790000012 -> "07 90 00 00 12", as a customer types it."""
    return " ".join(msisdn[i : i + 2] for i in range(0, len(msisdn), 2))


@dataclass
class Customer:
    """One simulated customer; `pause` is the think time range, None for none."""

    http: aiohttp.ClientSession
    base_url: str
    sink: SmsSink
    recorder: Recorder
    rng: random.Random
    pause: tuple[float, float] | None
    code_timeout: float = 30.0
    request_timeout: float = 60.0

    async def converse(
        self, sender: str, msisdn: str, phase: str, step: int, deadline: float
    ) -> ConversationRecord:
        """Play one conversation; stop early (no error) once `deadline` is passed."""
        record = ConversationRecord(sender, msisdn, phase, step)
        self.recorder.conversations.append(record)
        rng = self.rng
        faq, faq_answer = rng.choice(FAQ)
        turns: list[tuple[str, str, str, str]] = [  # label, kind, text, expected
            ("greet", "custom", "bonjour", "Bonjour"),  # runs action_session_start
            ("faq", "custom", faq, faq_answer),
            ("thanks", "floor", rng.choice(THANKS), "Avec plaisir"),
            ("change", "custom", rng.choice(CHANGE), "numéro de mobile"),
            ("number", "custom", f"c'est le {spaced(msisdn)}", "code à 6 chiffres"),
            ("code", "custom", "", "vérifié"),
            ("date", "custom", rng.choice(DATES), "Vous confirmez"),
            ("confirm", "custom", "oui", "C'est fait"),
            ("thanks", "floor", rng.choice(THANKS), "Avec plaisir"),
            ("advisor", "custom", rng.choice(ADVISOR), "un conseiller va prendre"),
        ]
        try:
            for index, (label, kind, text, expected) in enumerate(turns):
                if label == "code":
                    text = await self._wait_code(record)
                if index and self.pause:
                    await asyncio.sleep(rng.uniform(*self.pause))
                if time.perf_counter() > deadline:
                    return record
                answer = await self._say(record, label, kind, text)
                if expected not in answer:
                    raise Unexpected(f"{label}: {text!r} got {answer[:200]!r}")
                if label == "number":
                    record.codes_expected = 1
                elif label == "confirm":
                    record.confirmations_expected = 1
            record.completed = True
        except (
            Unexpected,
            aiohttp.ClientError,
            asyncio.TimeoutError,
            ValueError,
        ) as exc:
            detail = str(exc) or type(exc).__name__
            record.error = detail
            self.recorder.errors.append(
                {"phase": phase, "step": step, "sender": sender, "error": detail}
            )
        return record

    async def _wait_code(self, record: ConversationRecord) -> str:
        asked = time.perf_counter()
        try:
            code = await self.sink.wait_code(record.msisdn, self.code_timeout)
        except asyncio.TimeoutError:
            raise Unexpected(
                f"no code SMS for {record.msisdn} in {self.code_timeout:g} s"
            ) from None
        record.code_wait = time.perf_counter() - asked
        return code

    async def _say(
        self, record: ConversationRecord, label: str, kind: str, text: str
    ) -> str:
        """POST one message, time it until the whole answer is read; its texts."""
        started = time.perf_counter()
        ok = False
        try:
            async with self.http.post(
                f"{self.base_url}/webhooks/rest/webhook",
                json={"sender": record.sender, "message": text},
                timeout=aiohttp.ClientTimeout(total=self.request_timeout),
            ) as reply:
                body = await reply.json(content_type=None)
                if reply.status != 200 or not isinstance(body, list):
                    raise Unexpected(f"{label}: HTTP {reply.status} {str(body)[:200]}")
                ok = True
        finally:
            self.recorder.samples.append(
                Sample(
                    record.phase,
                    record.step,
                    kind,
                    label,
                    started,
                    time.perf_counter(),
                    ok,
                )
            )
        return " ".join(str(m.get("text") or "") for m in body if isinstance(m, dict))
