"""The SMS accounting: what each conversation should have caused (one code, one
confirmation per verified change) against what the sink received, per line."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

from scripts.bench.customer import ConversationRecord
from scripts.bench.sink import SmsSink
from scripts.bench.stats import summarize


def _expected(record: ConversationRecord) -> Counter[str]:
    return Counter(code=record.codes_expected, change_sms=record.confirmations_expected)


async def sms_accounting(
    sink: SmsSink, records: list[ConversationRecord], grace: float = 15.0
) -> dict[str, Any]:
    """Compare the SMS each conversation caused with what the sink received."""

    def missing() -> int:
        return sum((_expected(c) - sink.counts(c.msisdn)).total() for c in records)

    deadline = time.perf_counter() + grace
    while missing() and time.perf_counter() < deadline:
        await asyncio.sleep(0.25)
    await asyncio.sleep(1.5)  # a duplicate would come at the next dispatch
    lost = duplicated = 0
    for record in records:  # one line per conversation: counts per line
        got, want = sink.counts(record.msisdn), _expected(record)
        lost += (want - got).total()
        duplicated += (got - want).total()  # a second copy, or any other SMS
    ours = {c.msisdn for c in records}
    stray = sum(len(v) for k, v in sink.received.items() if k not in ours)
    received = sum((sink.counts(n) for n in ours), Counter())
    waits = [c.code_wait for c in records if c.code_wait is not None]
    return {
        "verified_changes": sum(c.confirmations_expected for c in records),
        "codes_expected": sum(c.codes_expected for c in records),
        "codes_received": received["code"],
        "confirmations_expected": sum(c.confirmations_expected for c in records),
        "confirmations_received": received["change_sms"],
        "lost": lost,
        "duplicated": duplicated + stray,
        "stray": stray,  # SMS to numbers no conversation used
        "refused": sink.refused,
        "code_wait": summarize(waits),
    }
