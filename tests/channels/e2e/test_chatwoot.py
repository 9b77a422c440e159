"""The assistant as a Chatwoot agent bot: a real Rasa server, action server and outbox
dispatcher against the local fake of Chatwoot (tests/channels/e2e/fake_chatwoot.py).

The fake sends webhooks as Chatwoot does (signed, the bot's own messages echoed back,
status changes) and records the API calls the dispatcher makes.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar
from urllib.parse import quote

import pytest
from sqlalchemy import select

from bot.channels.chatwoot_api import ConversationRef
from bot.config import PROJECT_ROOT, Settings
from bot.db import session_scope
from bot.handoff import tickets
from bot.handoff.gateway import PATH_SAFE
from bot.models import Channel, OutboxMessage, Porting, Ticket
from tests.channels.e2e.conftest import ChannelServers, Fakes
from tests.channels.e2e.fake_chatwoot import (
    ACCOUNT_ID,
    BOT_TOKEN,
    WEBHOOK_SECRET,
    FakeChatwoot,
)
from tests.e2e.conftest import OPERATOR, Conversation, get_json
from tests.handset import Handset

PATH = "/webhooks/chatwoot/webhook"
SOPHIE = "0745678901"  # Mon 21 Dec 2026 morning, in the demo data
HANDED_BACK = "Le conseiller vous a remis en relation avec l'assistant virtuel."
T = TypeVar("T")


@pytest.fixture(scope="module")
def chatwoot(servers: ChannelServers, fakes: Fakes) -> Iterator[FakeChatwoot]:
    """The fake, pointed at the bot's webhook, and the outbox dispatcher running.

    The dispatcher is `python -m bot dispatch`, as `make run` starts it, with a short
    first retry so that an outage of a few seconds is tested in a few seconds.
    """
    fake = fakes.chatwoot
    fake.bot_url = servers.rasa_url + PATH
    env = {
        **servers.env,
        "OUTBOX_FIRST_RETRY_SECONDS": "0.5",
        "OUTBOX_MAX_ATTEMPTS": "40",
    }
    log = (servers.workdir / "logs" / "dispatch.log").open("w")
    dispatcher = subprocess.Popen(
        [sys.executable, "-m", "bot", "dispatch", "--interval", "0.2"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    yield fake
    fake.failing = None
    dispatcher.send_signal(signal.SIGTERM)
    try:
        dispatcher.wait(timeout=20)
    except subprocess.TimeoutExpired:
        dispatcher.kill()
        dispatcher.wait()
    log.close()


def wait_for(
    check: Callable[[], T],
    seconds: float = 60,
    what: str = "",
    seen: Callable[[], object] | None = None,
) -> T:
    """Poll `check` until it returns something true; fail after `seconds`, saying
    what was `seen` instead."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    instead = f"; got {seen()!r}" if seen is not None else ""
    raise AssertionError(f"timed out waiting for {what or check}{instead}")


def public(fake: FakeChatwoot, conversation: int) -> list[dict[str, Any]]:
    """The messages the bot posted for the customer (no private notes)."""
    return [m for m in fake.bot_messages(conversation) if not m["private"]]


def say(
    fake: FakeChatwoot, conversation: int, text: str, expect: str
) -> list[dict[str, Any]]:
    """The customer writes; return the bot's new messages once one contains
    `expect`."""
    before = len(public(fake, conversation))
    assert fake.customer_says(conversation, text).status == 200

    def answered() -> list[dict[str, Any]]:
        new = public(fake, conversation)[before:]
        return new if any(expect in m["content"] for m in new) else []

    return wait_for(
        answered,
        what=f"an answer with {expect!r} to {text!r}",
        seen=lambda: [m["content"] for m in public(fake, conversation)[before:]],
    )


def quiet(fake: FakeChatwoot, conversation: int, seconds: float = 4) -> int:
    """Wait `seconds` and return how many API calls the conversation got meanwhile."""
    before = len(fake.calls_for(conversation))
    time.sleep(seconds)
    return len(fake.calls_for(conversation)) - before


def as_chatwoot(replies: list[dict]) -> list[tuple[str, list[dict[str, str]]]]:
    """REST replies as the Chatwoot messages they should become."""
    return [
        (
            reply["text"],
            [
                {"title": b["title"], "value": b["payload"]}
                for b in reply.get("buttons", [])
            ],
        )
        for reply in replies
    ]


def as_posted(messages: list[dict[str, Any]]) -> list[tuple[str, list[dict]]]:
    """Posted messages as (content, input_select items)."""
    return [
        (m["content"], (m.get("content_attributes") or {}).get("items", []))
        for m in messages
    ]


def sender_of(conversation: int) -> str:
    return ConversationRef(str(ACCOUNT_ID), str(conversation)).sender_id


def outbox(servers: ChannelServers, **where: Any) -> list[OutboxMessage]:
    with session_scope(Settings.from_env(servers.env)) as session:
        statement = select(OutboxMessage).filter_by(**where).order_by(OutboxMessage.id)
        return list(session.execute(statement).scalars())


def test_a_customer_message_is_answered_in_the_conversation(chatwoot, servers):
    conversation = chatwoot.new_conversation()
    expected = as_chatwoot(Conversation(servers).say("bonjour"))
    assert chatwoot.customer_says(conversation, "bonjour").status == 200
    posted = wait_for(
        lambda: len(public(chatwoot, conversation)) >= len(expected)
        and public(chatwoot, conversation),
        what="the greeting",
    )
    assert as_posted(posted) == expected
    assert OPERATOR in posted[0]["content"]
    greeting = posted[-1]
    assert greeting["content_type"] == "input_select"
    assert greeting["content_attributes"]["items"][0] == {
        "title": "Modifier ma date de portabilité",
        "value": "/change_porting_date",
    }
    calls = chatwoot.calls_for(conversation)
    assert {call.headers.get("api_access_token") for call in calls} == {BOT_TOKEN}
    assert {call.body["message_type"] for call in calls} == {"outgoing"}
    # Chatwoot sent the bot its own messages back: accepted, never answered.
    echoes = wait_for(
        lambda: [
            d
            for d in chatwoot.deliveries
            if d.payload.get("sender", {}).get("type") == "agent_bot"
            and d.payload["conversation"]["id"] == conversation
        ],
        what="the echo of the bot's messages",
    )
    assert {echo.status for echo in echoes} == {200}
    assert quiet(chatwoot, conversation) == 0


def test_a_tapped_button_comes_back_as_its_payload(chatwoot, servers):
    conversation = chatwoot.new_conversation()
    greeting = say(chatwoot, conversation, "bonjour", "Que puis-je faire")[-1]
    rest = Conversation(servers)
    rest.say("bonjour")
    expected = as_chatwoot(rest.say("/order_status"))
    before = len(public(chatwoot, conversation))
    assert chatwoot.customer_taps(greeting, "Suivre ma commande").status == 200
    posted = wait_for(
        lambda: len(public(chatwoot, conversation)) >= before + len(expected)
        and public(chatwoot, conversation)[before:],
        what="the answer to the tap",
    )
    assert as_posted(posted) == expected


def test_a_verified_date_change_sends_the_sms_and_posts_the_confirmation(
    chatwoot, servers
):
    conversation = chatwoot.new_conversation()
    texts_before = len(outbox(servers, to=SOPHIE))
    # The dispatcher sends the SMS too (console provider): the code is read on the
    # handset, as the outbox keeps sent SMS without their code.
    handset = Handset(servers.workdir / "logs" / "dispatch.log")
    seen = len(handset.texts_to(SOPHIE))
    say(chatwoot, conversation, "je veux changer la date de ma portabilité", "vérifier")
    say(chatwoot, conversation, "c'est le 07 45 67 89 01", "code à 6 chiffres")
    code = handset.new_code(SOPHIE, seen)
    verified = say(chatwoot, conversation, code, "21 décembre 2026")
    assert "lundi 21 décembre 2026" in " ".join(m["content"] for m in verified)
    asked = say(chatwoot, conversation, "le mercredi 23 décembre", "Vous confirmez")
    question = next(m for m in asked if "Vous confirmez" in m["content"])
    assert question["content_type"] == "input_select"
    assert question["content_attributes"]["items"] == [
        {"title": "Oui, je confirme", "value": "/affirm"},
        {"title": "Non", "value": "/deny"},
    ]
    before = len(public(chatwoot, conversation))
    assert chatwoot.customer_taps(question, "Oui, je confirme").status == 200
    done = wait_for(
        lambda: [
            m
            for m in public(chatwoot, conversation)[before:]
            if "C'est fait" in m["content"]
        ],
        what="the confirmation",
        seen=lambda: [m["content"] for m in public(chatwoot, conversation)],
    )
    assert "mercredi 23 décembre 2026" in done[0]["content"]
    sms = [m.text for m in outbox(servers, to=SOPHIE)]
    assert len(sms) == texts_before + 2  # the code, then the confirmation
    assert "mercredi 23 décembre 2026" in sms[-1]
    with session_scope(Settings.from_env(servers.env)) as session:
        porting = session.execute(
            select(Porting).where(Porting.msisdn == SOPHIE)
        ).scalar_one()
        assert porting.scheduled_on.isoformat() == "2026-12-23"


def test_an_escalation_opens_the_conversation_then_pending_brings_the_bot_back(
    chatwoot, servers
):
    conversation = chatwoot.new_conversation()
    say(chatwoot, conversation, "bonjour", "Que puis-je faire")
    say(chatwoot, conversation, "je veux parler à un conseiller", "conseiller")
    wait_for(
        lambda: chatwoot.conversations[conversation].status == "open",
        what="the handoff",
    )
    calls = [c for c in chatwoot.calls_for(conversation) if c.status == 200]
    handoff = [c for c in calls if c.kind != "messages" or c.body["private"]]
    assert [c.kind for c in handoff] == ["messages", "labels", "toggle_status"]
    note, labels, status = handoff
    assert note.body["private"] is True
    assert note.body["content"].startswith(
        "Demande transmise par l'assistant. Motif : Demande du client."
    )
    assert "Numéro non vérifié." in note.body["content"]
    assert labels.body == {"labels": ["demande_client"]}
    assert status.body == {"status": "open"}
    assert chatwoot.conversations[conversation].labels == ["demande_client"]
    with session_scope(Settings.from_env(servers.env)) as session:
        ticket = tickets.open_ticket_for(session, sender_of(conversation))
        assert ticket is not None
        assert (ticket.channel, ticket.state) == ("chatwoot", "claimed")

    # An agent holds it: the customer's messages get no answer from the bot.
    assert chatwoot.customer_says(conversation, "allo ? vous êtes là ?").status == 200
    assert quiet(chatwoot, conversation) == 0

    # The agent hands back (pending): the assistant says so and answers again.
    before = len(public(chatwoot, conversation))
    assert {d.status for d in chatwoot.agent_sets_status(conversation, "pending")} == {
        200
    }
    back = wait_for(
        lambda: public(chatwoot, conversation)[before:], what="the hand-back"
    )
    assert HANDED_BACK in back[0]["content"]
    say(chatwoot, conversation, "c'est quoi le code rio", "3179")
    with session_scope(Settings.from_env(servers.env)) as session:
        ticket = session.execute(
            select(Ticket).where(Ticket.conversation_id == sender_of(conversation))
        ).scalar_one()
        assert (ticket.state, ticket.outcome) == ("closed", tickets.HANDED_BACK)


def test_resolved_closes_the_ticket_and_ends_the_rasa_session(chatwoot, servers):
    conversation = chatwoot.new_conversation()
    say(chatwoot, conversation, "je veux parler à un conseiller", "conseiller")
    wait_for(
        lambda: chatwoot.conversations[conversation].status == "open",
        what="the handoff",
    )
    deliveries = chatwoot.agent_sets_status(conversation, "resolved")
    assert {d.payload["event"] for d in deliveries} == {
        "conversation_status_changed",
        "conversation_resolved",
    }
    sender = quote(sender_of(conversation), safe=PATH_SAFE)
    url = f"{servers.rasa_url}/conversations/{sender}/tracker?include_events=ALL"

    def restarted() -> bool:
        events = get_json(url, servers.api_headers())["events"]
        return events[-1]["event"] == "restart"

    wait_for(restarted, what="the session's end")
    with session_scope(Settings.from_env(servers.env)) as session:
        ticket = session.execute(
            select(Ticket).where(Ticket.conversation_id == sender_of(conversation))
        ).scalar_one()
        assert (ticket.state, ticket.outcome) == ("closed", "Résolue dans Chatwoot")
    # The customer writes again: Chatwoot reopens it as pending, a new session.
    say(chatwoot, conversation, "bonjour", "Que puis-je faire")


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", WEBHOOK_SECRET + "x"])
def test_a_call_without_our_secret_is_refused_and_not_read(chatwoot, secret):
    conversation = chatwoot.new_conversation()
    refused = chatwoot.customer_says(conversation, "bonjour", secret=secret)
    assert refused.status == 403
    assert quiet(chatwoot, conversation, 3) == 0
    # Not even recorded: the same message, from Chatwoot, is answered.
    assert chatwoot.deliver(refused.payload).status == 200
    wait_for(lambda: public(chatwoot, conversation), what="the answer")


def test_a_bad_signature_is_refused_and_an_unsigned_call_is_accepted(chatwoot):
    conversation = chatwoot.new_conversation()
    forged = chatwoot.customer_says(
        conversation, "bonjour", signature_value="sha256=" + "0" * 64
    )
    assert forged.status == 403
    assert quiet(chatwoot, conversation, 3) == 0
    # Released Chatwoot versions sign nothing: the URL's secret is enough.
    assert chatwoot.deliver(forged.payload, sign=False).status == 200
    wait_for(lambda: public(chatwoot, conversation), what="the answer")


def test_a_replayed_event_gets_one_answer(chatwoot, servers):
    conversation = chatwoot.new_conversation()
    expected = len(Conversation(servers).say("bonjour"))
    first = chatwoot.customer_says(conversation, "bonjour")
    assert first.status == 200
    assert chatwoot.deliver(first.payload).status == 200
    assert chatwoot.deliver(first.payload, sign=False).status == 200
    wait_for(lambda: len(public(chatwoot, conversation)) >= expected)
    quiet(chatwoot, conversation)
    assert len(public(chatwoot, conversation)) == expected


def test_chatwoot_down_for_a_while_gets_the_answer_once_when_back(chatwoot, servers):
    conversation = chatwoot.new_conversation()
    expected = as_chatwoot(Conversation(servers).say("bonjour"))
    chatwoot.failing = 503
    try:
        assert chatwoot.customer_says(conversation, "bonjour").status == 200
        wait_for(
            lambda: len(chatwoot.calls_for(conversation)) >= 2,
            what="two refused attempts",
        )
        chatwoot.down()  # connections refused now
        time.sleep(3)
    finally:
        chatwoot.failing = None
        chatwoot.up()
    failures = [c.status for c in chatwoot.calls_for(conversation)]
    assert len(failures) >= 2 and set(failures) == {503}
    wait_for(
        lambda: len(public(chatwoot, conversation)) >= len(expected),
        what="the answer",
    )
    quiet(chatwoot, conversation)
    assert as_posted(public(chatwoot, conversation)) == expected  # each once, in order
    rows = outbox(servers, channel=Channel.CHATWOOT, to=sender_of(conversation))
    assert len(rows) == len(expected)
    assert {row.status.value for row in rows} == {"sent"}
    assert rows[0].attempts >= 3  # 503, 503, refused..., then accepted
