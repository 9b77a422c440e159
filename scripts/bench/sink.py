"""The SMS gateway sink: an in-process aiohttp server that the stack's dispatcher
(SMS_PROVIDER=http) POSTs {"to", "text"} to, with a bearer token.

It counts every SMS per national number and hands each verification code to the
simulated customer waiting on that number, without any process or file in between.
"""

from __future__ import annotations

import asyncio
import hmac
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass

from aiohttp import web

from scripts.dialogue_eval.messages import classify, code_in


def extract_code(text: str) -> str | None:
    """The 6-digit verification code of an SMS, or None for any other SMS."""
    return code_in(text)  # the dialogue evaluation's reading of bot's CODE_SMS


def national_number(to: str) -> str:
    """+33612345678 (E.164, as the http sender posts it) -> 0612345678."""
    digits = re.sub(r"[^\d+]", "", to)
    if digits.startswith("+33"):
        return "0" + digits[3:]
    if digits.startswith("0033"):
        return "0" + digits[4:]
    return digits


def sms_kind(text: str) -> str:
    """The SMS's kind: "code", "change_sms" (a change confirmed), ... or "other"."""
    return classify("sms", text)


@dataclass(frozen=True)
class Received:
    """One SMS the sink accepted."""

    to: str  # national number
    kind: str
    text: str
    at: float  # time.perf_counter()


class SmsSink:
    """The fake gateway: `POST /sms` with `Authorization: Bearer <token>`."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.received: dict[str, list[Received]] = defaultdict(list)
        self.refused = 0  # requests without the right token or body
        self._codes: dict[str, asyncio.Queue[str]] = defaultdict(asyncio.Queue)
        self._runner: web.AppRunner | None = None
        self.port = 0

    def counts(self, msisdn: str) -> Counter[str]:
        """How many SMS of each kind this number received."""
        return Counter(sms.kind for sms in self.received.get(msisdn, []))

    async def wait_code(self, msisdn: str, timeout: float) -> str:
        """The next code sent to `msisdn`; raises TimeoutError after `timeout` s."""
        return await asyncio.wait_for(self._codes[msisdn].get(), timeout)

    async def _handle(self, request: web.Request) -> web.Response:
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {self.token}".encode()):
            self.refused += 1
            return web.json_response({"error": "unauthorized"}, status=401)
        try:
            body = await request.json()
            to, text = national_number(str(body["to"])), str(body["text"])
        except (ValueError, KeyError, TypeError):
            self.refused += 1
            return web.json_response({"error": "bad request"}, status=400)
        sms = Received(to=to, kind=sms_kind(text), text=text, at=time.perf_counter())
        self.received[to].append(sms)
        code = extract_code(text)
        if code is not None:
            self._codes[to].put_nowait(code)
        total = sum(len(v) for v in self.received.values())
        return web.json_response({"id": f"sink-{total}"})

    async def start(self, port: int, host: str = "127.0.0.1") -> None:
        """Listen on host:port."""
        app = web.Application()
        app.router.add_post("/sms", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        self.port = port

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
