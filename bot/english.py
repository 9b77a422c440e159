"""Simple English requests, recognised by their words, so that an English-speaking
customer is pointed to the right flow (which then goes on in French)."""

from __future__ import annotations

import re

_PORTING = r"\b(transfer|port|porting|portability|number)\b"
# (intent to offer, English words that name it), the first match wins.
TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "request_human",
        re.compile(
            r"\b(human|agent|someone|somebody|person|advis[oe]r|operator|"
            r"call me|speak to|talk to)\b"
        ),
    ),
    (
        "cancel_porting",
        re.compile(rf"\b(cancel|stop|abort)\b.*{_PORTING}|{_PORTING}.*\bcancel"),
    ),
    (
        "change_porting_date",
        re.compile(
            r"\b(change|move|reschedule|postpone|delay|earlier|later|another)\b"
            r".*\b(date|day|transfer|port|porting)\b|\b(transfer|porting) date\b"
        ),
    ),
    ("order_status", re.compile(r"\b(order|delivery|deliver|parcel|package|track)")),
    ("recover_access", re.compile(r"\b(password|log ?in|sign ?in|account)")),
    ("ask_documents", re.compile(r"\b(documents?|id card|passport|identity|upload)")),
    ("ask_rio", re.compile(r"\brio\b")),
)


def english_topic(text: str) -> str | None:
    """The intent an English message asks for, or None when it names none."""
    words = " ".join(text.lower().split())
    for intent, pattern in TOPICS:
        if pattern.search(words):
            return intent
    return None
