"""Corrections to the classifier that its words cannot learn: a date makes a
message an answer, and a request given with its facts is a request."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bot.dates.lexicon import fold

# Intents that name no task: with a date or a period, the message gives information
# ("quel temps fera-t-il demain" stays out of scope: it asks something else).
_CHIT_CHAT = frozenset({"greet", "goodbye", "thank", "nlu_fallback", "bot_challenge"})
# Saying "I cannot help with that" is a strong claim: below this, ask to rephrase.
OUT_OF_SCOPE_MIN = 0.5
_DATES = frozenset({"date", "date_period"})


def date_answer_intent(
    intent: str | None, entities: Iterable[str | None], text: str
) -> str | None:
    """`inform` for a chit-chat or unclear message that gives a date, else None
    (the classifier's intent stands). Button payloads are never relabelled."""
    if text.startswith("/") or intent not in _CHIT_CHAT:
        return None
    return "inform" if _DATES & set(entities) else None


# Requests the assistant serves: asking for one of them is never only information.
TASKS = frozenset(
    """change_porting_date cancel_porting ask_porting_date order_status recover_access
    ask_documents ask_porting_process ask_rio change_login_email activate_line
    sim_unlock request_human code_not_received cancel_order ask_login""".split()
)
# Close scores between these mean the request itself is unclear: ask again.
_CONFLICTING = (
    frozenset({"change_porting_date", "cancel_porting"}),
    frozenset({"cancel_porting", "cancel_order"}),
)


def resolve_ambiguity(
    ranking: Sequence[Mapping[str, Any]], threshold: float
) -> str | None:
    """The intent to keep when the fallback came from two close intents, not from
    a weak best one: a task over `inform` ("ma commande … elle en est où ? 06…"),
    or the first of two compatible tasks; None to keep the fallback."""
    scored = [item for item in ranking if item.get("name") != "nlu_fallback"]
    if len(scored) < 2 or float(scored[0].get("confidence", 0)) < threshold:
        return None
    first, second = str(scored[0]["name"]), str(scored[1]["name"])
    pair = frozenset({first, second})
    if "inform" in pair:
        (other,) = pair - {"inform"}
        return other if other in TASKS else None
    if pair <= TASKS and pair not in _CONFLICTING:
        return first
    return None


_ORDER_WORDS = re.compile(r"\b(commande|colis|livraison|livre|expedi\w*|carte sim)\b")
_PORTING_DATE_WORDS = re.compile(
    r"\b(portab\w*|porta|portage|transfert)\b.*\b(quand|qd|date)\b"
    r"|\b(quand|qd|date)\b.*\b(portab\w*|porta|portage|transfert)\b"
)


def second_request(text: str, task: str | None) -> str | None:
    """The other read-only request a message makes besides `task`: "c'est quand ma
    portabilité et ma commande elle en est où ?" asks for the status and the order."""
    words = " ".join(re.findall(r"[a-z0-9]+", fold(text)))
    if task == "status" and _ORDER_WORDS.search(words):
        return "order"
    if task == "order" and _PORTING_DATE_WORDS.search(words):
        return "status"
    return None


def weak_out_of_scope(intent: str | None, confidence: float) -> bool:
    """Tell whether an out-of-scope reading is too unsure to say so ("zblorg kwix"):
    the customer is asked to rephrase instead."""
    return intent == "out_of_scope" and confidence < OUT_OF_SCOPE_MIN
