"""Messenger through the signed connector on a real Rasa server."""

from __future__ import annotations

import json
import random
import urllib.request
from urllib.parse import urlencode

import pytest

from tests.channels.e2e.conftest import (
    OPERATOR,
    Answer,
    ChannelServers,
    Fakes,
    call,
    post,
)
from tests.channels.fakes import (
    APP_SECRET,
    VERIFY_TOKEN,
    hub_signature_256,
    hub_signature_sha1,
    messenger_event,
)
from tests.e2e.conftest import Conversation

PATH = "/webhooks/messenger_signed/webhook"
QUICK_REPLIES = [
    {"content_type": "text", "title": "1", "payload": "/change_porting_date"},
    {"content_type": "text", "title": "2", "payload": "/order_status"},
    {"content_type": "text", "title": "3", "payload": "/ask_documents"},
    {"content_type": "text", "title": "4", "payload": "/recover_access"},
]


def new_psid() -> str:
    return str(random.randrange(10**15, 10**16))


def new_mid() -> str:
    return f"m_{random.getrandbits(96):024x}"


def send(servers: ChannelServers, payload: dict, signature: str | None = "") -> Answer:
    """POST a page webhook signed with our app secret unless told otherwise."""
    body = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"}
    if signature == "":
        signature = hub_signature_256(APP_SECRET, body)
    if signature is not None:
        headers["X-Hub-Signature-256"] = signature
    return post(servers.rasa_url + PATH, body, headers)


def sent_to(fakes: Fakes, psid: str) -> list[dict]:
    """The Send API messages the fake Graph API received for `psid`."""
    found = []
    for request in fakes.graph.requests:
        body = request.json
        assert isinstance(body, dict)
        if body["recipient"]["id"] == psid:
            found.append(body["message"])
    return found


def verify(servers: ChannelServers, **args: str) -> Answer:
    """GET the webhook as Meta does when the webhook is set up."""
    url = f"{servers.rasa_url}{PATH}?{urlencode(args)}"
    return call(urllib.request.Request(url))


def test_the_verification_answers_the_challenge_to_our_verify_token(servers):
    answer = verify(
        servers,
        **{"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN},
        **{"hub.challenge": "1158201444"},
    )
    assert (answer.status, answer.body) == (200, "1158201444")


@pytest.mark.parametrize(
    "args",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN},
    ],
    ids=["wrong token", "no token", "not subscribe"],
)
def test_a_verification_without_our_verify_token_is_refused(servers, args):
    assert verify(servers, **args).status == 403


def test_a_greeting_gets_numbered_buttons_and_quick_replies(servers, fakes):
    psid = new_psid()
    answer = send(servers, messenger_event(psid, new_mid(), "bonjour"))
    assert answer.status == 200
    messages = sent_to(fakes, psid)
    assert messages, "no message reached the fake Graph API"
    assert OPERATOR in messages[0]["text"]
    # The titles are longer than the 20 characters of a quick reply: numbered.
    assert messages[-1]["text"].endswith("4. Accès à mon espace client")
    assert messages[-1]["quick_replies"] == QUICK_REPLIES


@pytest.mark.parametrize("reply", ["quick reply", "typed number"])
def test_a_quick_reply_or_its_number_is_answered_as_the_button(servers, fakes, reply):
    psid = new_psid()
    send(servers, messenger_event(psid, new_mid(), "bonjour"))
    before = len(sent_to(fakes, psid))
    quick_reply = "/order_status" if reply == "quick reply" else None
    send(servers, messenger_event(psid, new_mid(), "2", quick_reply))
    texts = [message["text"] for message in sent_to(fakes, psid)[before:]]
    rest = Conversation(servers)
    rest.say("bonjour")
    assert texts == [answer["text"] for answer in rest.say("/order_status")]


def test_a_replayed_message_gets_no_second_answer(servers, fakes):
    psid = new_psid()
    payload = messenger_event(psid, new_mid(), "bonjour")
    send(servers, payload)
    answered = len(sent_to(fakes, psid))
    assert answered > 0
    assert send(servers, payload).status == 200
    assert len(sent_to(fakes, psid)) == answered


@pytest.mark.parametrize(
    "how", ["no signature", "other secret", "sha1 only", "other body"]
)
def test_a_request_without_a_valid_signature_is_refused_with_403(servers, fakes, how):
    psid = new_psid()
    payload = messenger_event(psid, new_mid(), "bonjour")
    body = json.dumps(payload).encode()
    signature = {
        "no signature": None,
        "other secret": hub_signature_256("not-our-secret", body),
        "sha1 only": hub_signature_sha1(APP_SECRET, body),
        "other body": hub_signature_256(APP_SECRET, body + b" "),
    }[how]
    assert send(servers, payload, signature).status == 403
    assert sent_to(fakes, psid) == []
