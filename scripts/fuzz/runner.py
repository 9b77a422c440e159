"""One fuzz run against a Rasa server: the messages sent round-robin to many
conversations (each conversation's in order, several at once), then the checks:
the server still answers, every conversation's tracker loads."""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from scripts.fuzz.client import Answer, request
from scripts.fuzz.messages import LONG_MAX, TOO_LONG, MessageMaker
from scripts.fuzz.report import POLITE_TOO_LONG, FuzzReport, short

DEFAULT_COUNT = 10_000
MESSAGES_PER_CONVERSATION = 20


def texts(replies: Any) -> str:
    """The texts of the bot's replies, joined ("" when the body is not a list)."""
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
            answer = request(
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
                    self.report.slowest = (took, f"{kind} {short(text, 40)}")
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
            report.fail(f"HTTP {answer.status} for {kind} {short(text)} ({sender})")
        elif answer.status == 0:
            with report._lock:
                report.unanswered += 1
            report.fail(f"no answer ({answer.error}) for {kind} {short(text)}")
        elif answer.status != 200 or not isinstance(answer.body, list):
            report.fail(f"HTTP {answer.status} {short(str(answer.body))} for {kind}")
        if len(text) > TOO_LONG and not text.startswith("/") and answer.status == 200:
            replies = texts(answer.body)
            with report._lock:
                report.long_messages += 1
                report.long_answered_politely += POLITE_TOO_LONG in replies
                if replies and POLITE_TOO_LONG not in replies:
                    report.long_other_answers[replies[:100]] += 1
        if self.progress and done % 1000 == 0:
            self.progress(f"{done} messages sent")

    def _check_server(self) -> None:
        report = self.report
        status = request(
            f"{self.rasa_url}/status", headers=self.api_headers(), timeout=self.timeout
        )
        report.status_ok = status.status == 200
        if not report.status_ok:
            report.fail(f"GET /status after the fuzz: {status.status} {status.error}")
        greeting = request(
            f"{self.rasa_url}/webhooks/rest/webhook",
            payload={"sender": f"fuzz-check-{time.time_ns()}", "message": "bonjour"},
            timeout=self.timeout,
        )
        report.greeting_ok = greeting.status == 200 and bool(texts(greeting.body))
        if not report.greeting_ok:
            body = short(str(greeting.body))
            report.fail(f"'bonjour' after the fuzz: {greeting.status} {body}")

    def _check_tracker(self, conversation: tuple[str, int]) -> None:
        sender, sent = conversation
        report = self.report
        # Every event, also those before a "/restart" payload.
        path = (
            f"/conversations/{urllib.parse.quote(sender, safe='')}/tracker"
            "?include_events=ALL"
        )
        answer = request(
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
                f"{short(str(answer.body), 120)}"
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
