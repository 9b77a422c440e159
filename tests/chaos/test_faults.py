"""Faults against `make prod-local`: the customer is always told, nothing is lost
or half-applied, and the conversation carries on once the fault is gone."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request
import uuid

from sqlalchemy import create_engine, select, text

from bot.config import Settings
from bot.db import session_scope
from bot.models import MessageStatus, OutboxMessage, Porting
from bot.service_notice import SERVICE_DISTURBED
from tests.chaos.conftest import ACTION_TIMEOUT, record
from tests.chaos.gateway import FakeGateway
from tests.e2e.conftest import post_json
from tests.prod.conftest import ProdLocal

MARIE = "0612345678"  # porting on Tue 8 Dec 2026, today pinned to Thu 26 Nov
SOPHIE = "0745678901"  # Mon 21 Dec
# An action server that accepts calls and never answers in time.
SLOW_SERVER = """
import http.server, sys, time
class Slow(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        time.sleep(300)
    def do_GET(self):
        self.send_response(200); self.end_headers()
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Slow).serve_forever()
"""


class Customer:
    """One conversation over the REST channel, through nginx's inside entry."""

    def __init__(self, stack: ProdLocal) -> None:
        self.url = f"{stack.inside_url}/webhooks/rest/webhook"
        self.sender = f"chaos-{uuid.uuid4().hex[:8]}"

    def say(self, message: str) -> str:
        replies = post_json(self.url, {"sender": self.sender, "message": message})
        assert isinstance(replies, list)
        return " ".join(reply.get("text", "") for reply in replies)


def _settings(stack: ProdLocal) -> Settings:
    return Settings.from_env({"DATABASE_URL": stack.database_url})


def _sms_to(stack: ProdLocal, msisdn: str) -> list[str]:
    with session_scope(_settings(stack)) as session:
        rows = session.execute(
            select(OutboxMessage.text)
            .where(OutboxMessage.to == msisdn)
            .order_by(OutboxMessage.id)
        )
        return [sms for (sms,) in rows]


def _scheduled_on(stack: ProdLocal, msisdn: str) -> str:
    with session_scope(_settings(stack)) as session:
        porting = session.execute(
            select(Porting).where(Porting.msisdn == msisdn)
        ).scalar_one()
        return porting.scheduled_on.isoformat()


def _verified_change(
    gateway: FakeGateway, customer: Customer, msisdn: str
) -> None:
    """Up to the confirmation question of a change to Saturday 12 December."""
    customer.say("je voudrais décaler ma portabilité")
    seen = len(gateway.texts_to(msisdn))
    assert "code à 6 chiffres" in customer.say(msisdn)
    customer.say(gateway.new_code(msisdn, seen))
    assert "samedi 12 décembre 2026" in customer.say("le 12 décembre")


def _short(said: str) -> str:
    return said if len(said) < 90 else said[:87] + "..."


def test_a_slow_action_server_is_given_up_on_and_told(stack):
    for name in ("actions-1", "actions-2"):
        stack.kill(name)
    slow = [
        subprocess.Popen([sys.executable, "-c", SLOW_SERVER, str(stack.port(name))])
        for name in ("actions-1", "actions-2")
    ]
    customer = Customer(stack)
    try:
        time.sleep(0.5)
        started = time.monotonic()
        said = customer.say("je veux changer la date de ma portabilité")
        waited = time.monotonic() - started
    finally:
        for process in slow:
            process.kill()
            process.wait()
    assert said.count(SERVICE_DISTURBED) == 1
    for name in ("actions-1", "actions-2"):
        stack.restart(name)
    again = customer.say("je veux changer la date de ma portabilité")
    assert "numéro de mobile" in again
    record(
        "action server slow",
        f"both action servers answer nothing (timeout {ACTION_TIMEOUT} s)",
        f"after {waited:.1f} s: {_short(said)}; once back: {_short(again)}",
        "nothing: the conversation carries on",
    )


def test_an_action_server_down_is_told(stack):
    for name in ("actions-1", "actions-2"):
        stack.kill(name)
    customer = Customer(stack)
    said = customer.say("où en est ma commande ?")
    assert said.count(SERVICE_DISTURBED) == 1
    # Only the notice: no answer as if the action had run ("pas bien compris").
    assert said.strip() == SERVICE_DISTURBED, said
    for name in ("actions-1", "actions-2"):
        stack.restart(name)
    again = customer.say("où en est ma commande ?")
    assert SERVICE_DISTURBED not in again and again
    record(
        "action server down",
        "both action servers killed (SIGKILL)",
        f"{_short(said)}; once back: {_short(again)}",
        "nothing",
    )


def test_the_database_down_during_a_change(stack, gateway):
    customer = Customer(stack)
    _verified_change(gateway, customer, MARIE)
    sms_before = len(_sms_to(stack, MARIE))
    admin = create_engine(
        f"postgresql://postgres@127.0.0.1:{stack.base + 60}/postgres",
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as connection:
        connection.execute(text("ALTER DATABASE bot WITH ALLOW_CONNECTIONS false"))
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = 'bot'"
            )
        )
    try:
        said = customer.say("oui")
    finally:
        with admin.connect() as connection:
            connection.execute(text("ALTER DATABASE bot WITH ALLOW_CONNECTIONS true"))
    assert "C'est fait" not in said
    assert "rien n'a été modifié" in said or SERVICE_DISTURBED in said
    assert _scheduled_on(stack, MARIE) == "2026-12-08"  # nothing half-applied
    assert len(_sms_to(stack, MARIE)) == sms_before  # no confirmation queued

    # Once the database is back, the same customer gets the change done.
    customer.say("non merci")  # the advisor offered after the apology
    asked = customer.say("je voudrais décaler ma portabilité au 12 décembre")
    assert "samedi 12 décembre 2026" in asked, asked
    assert "C'est fait" in customer.say("oui")
    assert _scheduled_on(stack, MARIE) == "2026-12-12"
    assert len(_sms_to(stack, MARIE)) == sms_before + 1  # one confirmation
    record(
        "database unavailable during a date change",
        "connections to the domain database refused and cut at the confirmation",
        f"{_short(said)}; once back, the change is made and confirmed once",
        "nothing; nothing half-applied, no SMS queued while it was down",
    )


def test_a_rasa_server_restarted_mid_conversation(stack):
    customer = Customer(stack)
    assert "numéro de mobile" in customer.say("je veux annuler ma portabilité")
    for name in ("rasa-1", "rasa-2"):
        stack.kill(name)
    stack.restart("rasa-1")
    # Only the restarted server is up: it reads the conversation from PostgreSQL.
    asked = customer.say(SOPHIE)
    assert "code à 6 chiffres" in asked
    stack.restart("rasa-2")
    record(
        "Rasa restarted mid-conversation",
        "both Rasa servers killed, one started again",
        _short(asked),
        "nothing: the form goes on from the stored conversation",
    )


THOMAS = "0634567890"  # Tue 5 Jan 2027
JEAN = "0656789012"  # a line without porting
KARIM = "0623456789"


def _outbox_row(stack: ProdLocal, msisdn: str) -> OutboxMessage:
    with session_scope(_settings(stack)) as session:
        return session.execute(
            select(OutboxMessage)
            .where(OutboxMessage.to == msisdn)
            .order_by(OutboxMessage.id.desc())
            .limit(1)
        ).scalar_one()


def _until(condition, timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not in {timeout} s: {what}")
        time.sleep(0.2)


def test_the_sms_provider_down_then_back(stack, gateway):
    customer = Customer(stack)
    customer.say("c'est quand ma portabilité ?")
    seen, asked_before = len(gateway.texts_to(THOMAS)), len(gateway.requests)
    gateway.mode = "down"
    said = customer.say(THOMAS)
    try:
        _until(lambda: len(gateway.requests) >= asked_before + 3, what="3 attempts")
        assert gateway.texts_to(THOMAS)[seen:] == []  # nothing got through
        assert _outbox_row(stack, THOMAS).status == MessageStatus.PENDING
    finally:
        gateway.mode = "up"
    code = gateway.new_code(THOMAS, seen)
    assert len(gateway.texts_to(THOMAS)) == seen + 1  # once
    verified = customer.say(code)
    assert "5 janvier 2027" in verified
    attempts = len(gateway.requests) - asked_before
    record(
        "SMS provider down (503), then back",
        f"the gateway answers 503 to {attempts - 1} attempts",
        f"{_short(said)}; the code arrives once it is back, then: {_short(verified)}",
        "nothing: the code waited in the outbox, delivered once",
    )


def test_a_slow_sms_provider_delivers_once(stack, gateway):
    customer = Customer(stack)
    customer.say("c'est quand ma portabilité ?")
    seen, asked_before = len(gateway.texts_to(JEAN)), len(gateway.requests)
    gateway.slow_seconds = 12  # longer than the sender's 10-second timeout
    gateway.mode = "slow"
    try:
        customer.say(JEAN)
        _until(lambda: len(gateway.requests) > asked_before, what="the first try")
    finally:
        gateway.mode = "up"  # the retry is answered at once
    key = gateway.requests[asked_before]
    assert key is not None
    _until(lambda: gateway.requests_with(key) >= 2, what="the retry")
    time.sleep(3)  # the first, slow answer has come back by now
    assert gateway.deliveries_with(key) == 1
    assert len(gateway.texts_to(JEAN)) == seen + 1
    _until(lambda: _outbox_row(stack, JEAN).status == MessageStatus.SENT, what="sent")
    record(
        "SMS provider slow",
        "the gateway holds the first try 12 s (the sender gives up at 10 s)",
        "one code SMS",
        f"nothing; {gateway.requests_with(key)} tries with the idempotency key {key},"
        " delivered once",
    )


def test_wrong_provider_credentials_raise_an_alert(stack, gateway):
    customer = Customer(stack)
    customer.say("c'est quand ma portabilité ?")
    gateway.mode = "unauthorized"
    try:
        said = customer.say(SOPHIE)
        _until(
            lambda: _outbox_row(stack, SOPHIE).status == MessageStatus.FAILED,
            what="the refused message",
        )
    finally:
        gateway.mode = "up"
    assert "ALERT" in stack.log("dispatcher")
    metrics = urllib.request.urlopen(
        f"http://127.0.0.1:{stack.port('dispatcher')}/metrics", timeout=10
    ).read().decode()
    refused = re.search(
        r'assistant_provider_credentials_refused_total\{channel="sms"\} (\S+)', metrics
    )
    assert refused and float(refused.group(1)) >= 1
    record(
        "wrong SMS provider credentials",
        "the gateway answers 401",
        _short(said),
        "the code SMS (failed at once, not retried); an ERROR 'ALERT' log line and "
        "assistant_provider_credentials_refused_total raised",
    )


def test_the_dispatcher_killed_in_the_middle_of_a_send(stack, gateway):
    customer = Customer(stack)
    customer.say("c'est quand ma portabilité ?")
    seen = len(gateway.texts_to(KARIM))
    gateway.held.clear()
    gateway.mode = "hold"  # the gateway takes the SMS, then keeps its answer
    try:
        customer.say(KARIM)
        assert gateway.held.wait(30), "the gateway got no SMS"
        stack.kill("dispatcher")
    finally:
        gateway.mode = "up"
        gateway.release()
    row = _outbox_row(stack, KARIM)
    assert row.status == MessageStatus.PENDING  # its send was never recorded
    stack.restart("dispatcher")
    key = f"outbox-{row.id}"
    _until(
        lambda: _outbox_row(stack, KARIM).status == MessageStatus.SENT,
        what="sent again after the lease",
    )
    assert gateway.requests_with(key) == 2
    assert gateway.deliveries_with(key) == 1
    assert len(gateway.texts_to(KARIM)) == seen + 1
    record(
        "outbox dispatcher killed in the middle of a send",
        "SIGKILL while the gateway held its answer; dispatcher started again",
        "one code SMS",
        f"nothing, nothing twice: sent again after the lease with key {key}, "
        "which the gateway had already delivered",
    )
