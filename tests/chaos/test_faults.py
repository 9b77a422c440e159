"""Faults against `make prod-local`: the customer is always told, nothing is lost
or half-applied, and the conversation carries on once the fault is gone."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import uuid

from sqlalchemy import create_engine, select, text

from bot.config import Settings
from bot.db import session_scope
from bot.models import OutboxMessage, Porting
from bot.service_notice import SERVICE_DISTURBED
from tests.chaos.conftest import ACTION_TIMEOUT, record
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


def _verified_change(stack: ProdLocal, customer: Customer, msisdn: str) -> None:
    """Up to the confirmation question of a change to Saturday 12 December."""
    customer.say("je voudrais décaler ma portabilité")
    assert "code à 6 chiffres" in customer.say(msisdn)
    (code,) = re.findall(r"\b\d{6}\b", _sms_to(stack, msisdn)[-1])
    customer.say(code)
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


def test_the_database_down_during_a_change(stack):
    customer = Customer(stack)
    _verified_change(stack, customer, MARIE)
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
