"""An advisor takes the conversation over: the queue, the console's API, replies
on the customer's channel, the assistant silent until the agent hands back.

Real servers (actions, Rasa, console) over REST; agents created with the CLI.
"""

from __future__ import annotations

import re
import time
import uuid

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.db import session_scope
from bot.models import AuditEvent, OutboxMessage, Porting
from scripts.servers import Servers
from tests.e2e.conftest import Conversation, get_json
from tests.e2e.console_client import AgentConsole, add_agent

PASSWORD = "un-mot-de-passe-long"
KARIM = "0623456789"  # porting on Thu 28 Nov: too late to change
NINA = "0744556677"  # porting on Wed 16 Dec 2026, afternoon


def _texts(replies: list[dict]) -> str:
    return " ".join(reply.get("text", "") for reply in replies)


@pytest.fixture(scope="module")
def agents(servers: Servers) -> dict[str, str]:
    """Two agents and a supervisor, created with `python -m bot agents add`."""
    suffix = uuid.uuid4().hex[:6]
    made = {
        "julie": f"julie-{suffix}@operateur.test",
        "marc": f"marc-{suffix}@operateur.test",
        "sam": f"sam-{suffix}@operateur.test",
    }
    add_agent(servers.env, made["julie"], "Julie", PASSWORD)
    add_agent(servers.env, made["marc"], "Marc", PASSWORD)
    add_agent(servers.env, made["sam"], "Sam", PASSWORD, role="supervisor")
    return made


def _console(servers: Servers, email: str) -> AgentConsole:
    console = AgentConsole(servers)
    assert console.login(email, PASSWORD).status_code == 200
    return console


def _code(env: dict[str, str], msisdn: str) -> str:
    with session_scope(Settings.from_env(env)) as session:
        text = session.execute(
            select(OutboxMessage.text)
            .where(OutboxMessage.to == msisdn)
            .order_by(OutboxMessage.id.desc())
            .limit(1)
        ).scalar_one()
    return re.findall(r"\b\d{6}\b", text)[0]


def _verify(conversation: Conversation, env: dict[str, str], msisdn: str) -> str:
    conversation.say(" ".join(msisdn[i : i + 2] for i in range(0, 10, 2)))
    code = _code(env, msisdn)
    conversation.say(code)
    return code


def test_an_advisor_takes_over_replies_and_hands_back(
    conversation: Conversation, servers: Servers, agents: dict[str, str]
) -> None:
    conversation.say("bonjour")
    queued = _texts(conversation.say("je voudrais parler à un conseiller"))
    assert "position" in queued and "file d'attente" in queued
    # From now on the assistant is silent; the agent reads every message.
    assert conversation.say("vous êtes là ?") == []

    julie = _console(servers, agents["julie"])
    ticket = julie.ticket_of(conversation.sender)
    assert ticket["reason"] == "customer_request" and ticket["channel"] == "rest"
    assert set(ticket) >= {"id", "conversation_id", "channel", "reason", "state"}
    detail = julie.wait_for_line(ticket["id"], "vous êtes là ?")
    assert [line["from"] for line in detail["transcript"][:2]] == [
        "customer",
        "assistant",
    ]
    assert "Numéro non vérifié" in detail["summary"]["text"]

    assert julie.post(f"/api/tickets/{ticket['id']}/claim").status_code == 200
    marc = _console(servers, agents["marc"])
    assert marc.post(f"/api/tickets/{ticket['id']}/claim").status_code == 409
    assert marc.get(f"/api/tickets/{ticket['id']}").status_code == 403

    sent = julie.post(
        f"/api/tickets/{ticket['id']}/messages", {"text": "Bonjour, je suis Julie."}
    )
    assert sent.status_code == 200
    tracker = get_json(
        f"{servers.rasa_url}/conversations/{conversation.sender}/tracker",
        servers.api_headers(),
    )
    said = [e.get("text") for e in tracker["events"] if e["event"] == "bot"]
    assert "Julie : Bonjour, je suis Julie." in said
    assert any("Julie, du Service Client" in (text or "") for text in said)

    assert conversation.say("merci, c'est pour ma commande") == []
    julie.wait_for_line(ticket["id"], "merci, c'est pour ma commande")
    assert julie.post(f"/api/tickets/{ticket['id']}/notes", {"text": "RAS"}).ok

    handed = julie.post(f"/api/tickets/{ticket['id']}/handback")
    assert handed.status_code == 200 and handed.json()["state"] == "closed"
    assert "3179" in _texts(conversation.say("c'est quoi le code rio ?"))


def test_codes_are_masked_and_an_agent_changes_the_date_with_the_same_rules(
    conversation: Conversation,
    servers: Servers,
    agents: dict[str, str],
    e2e_env: dict[str, str],
) -> None:
    conversation.say("je veux changer la date de ma portabilité")
    code = _verify(conversation, e2e_env, NINA)
    conversation.say("je préfère parler à quelqu'un")
    julie = _console(servers, agents["julie"])
    ticket = julie.ticket_of(conversation.sender)
    detail = julie.get(f"/api/tickets/{ticket['id']}").json()
    shown = " ".join(line["text"] for line in detail["transcript"])
    assert code not in shown and "••••••" in shown
    assert "06 xx" not in shown  # the number is Nina's 07…
    assert detail["summary"]["number"] == "07 xx xx xx 77"

    tid = ticket["id"]
    early = {"action": "change", "date": "2026-12-19"}
    assert julie.post(f"/api/tickets/{tid}/porting", early).status_code == 409
    julie.post(f"/api/tickets/{tid}/claim")
    sunday = julie.post(
        f"/api/tickets/{tid}/porting", {"action": "change", "date": "2026-12-20"}
    ).json()
    assert (sunday["outcome"], sunday["reason"]) == ("refused", "sunday")
    done = julie.post(
        f"/api/tickets/{tid}/porting", {"action": "change", "date": "2026-12-19"}
    ).json()
    assert done["outcome"] == "applied"
    with session_scope(Settings.from_env(e2e_env)) as session:
        porting = session.execute(
            select(Porting).where(Porting.msisdn == NINA)
        ).scalar_one()
        sms = session.execute(
            select(OutboxMessage.text).where(OutboxMessage.to == NINA)
        ).scalars()
        audit = session.execute(
            select(AuditEvent).where(AuditEvent.action == "porting_date_changed")
        ).scalars()
        assert porting.scheduled_on.isoformat() == "2026-12-19"
        assert any("samedi 19 décembre 2026" in text for text in sms)
        assert [e.actor for e in audit if e.channel == "console"] == [
            f"agent:{agents['julie']}"
        ]
    customer = julie.get(f"/api/tickets/{tid}/customer").json()
    assert customer["porting"]["scheduled_on"] == "2026-12-19"
    closed = julie.post(f"/api/tickets/{tid}/close", {"outcome": "Date modifiée"})
    assert closed.json()["outcome"] == "Date modifiée"
    assert "conseiller a clôturé" in _texts(
        servers_events(servers, conversation.sender)
    )


def servers_events(servers: Servers, sender: str) -> list[dict]:
    """The bot messages of a conversation, read from its tracker."""
    tracker = get_json(
        f"{servers.rasa_url}/conversations/{sender}/tracker", servers.api_headers()
    )
    return [e for e in tracker["events"] if e["event"] == "bot"]


def test_insisting_after_a_refusal_calls_an_advisor_in(
    conversation: Conversation,
    servers: Servers,
    agents: dict[str, str],
    e2e_env: dict[str, str],
) -> None:
    conversation.say("je dois décaler ma portabilité")
    _verify(conversation, e2e_env, KARIM)
    insisted = _texts(conversation.say("mais je veux vraiment changer la date"))
    assert "conseiller" in insisted and "position" in insisted
    sam = _console(servers, agents["sam"])
    ticket = sam.ticket_of(conversation.sender)
    assert ticket["reason"] == "deadline_passed"
    assert "trop tard" in ticket["summary"]["refused"]


def test_nobody_claims_so_the_customer_books_a_callback(
    conversation: Conversation, servers: Servers, agents: dict[str, str]
) -> None:
    conversation.say("passez-moi un humain")
    offer = []
    deadline = time.monotonic() + 40  # the timeout is 15 s, checked every 5 s
    while not offer and time.monotonic() < deadline:
        time.sleep(1)
        offer = [
            e
            for e in servers_events(servers, conversation.sender)
            if "vous rappelle" in (e.get("text") or "")
        ]
    assert offer, "no callback offer after the claim timeout"
    asked = _texts(conversation.say("oui"))
    assert "numéro" in asked
    slots = conversation.say("06 99 88 77 66")
    (first, *_) = (b for r in slots for b in r.get("buttons", []))
    booked = _texts(conversation.say(first["payload"]))
    assert "06 99 88 77 66" in booked and first["title"] in booked
    sam = _console(servers, agents["sam"])
    ticket = sam.ticket_of(conversation.sender)
    assert ticket["kind"] == "callback"
    assert ticket["callback"]["number"] == "06 99 88 77 66"


def test_the_api_refuses_without_session_csrf_or_right_password(
    servers: Servers, agents: dict[str, str], e2e_env: dict[str, str]
) -> None:
    anonymous = AgentConsole(servers)
    assert anonymous.get("/api/tickets").status_code == 401
    assert anonymous.post("/api/tickets/1/claim").status_code == 401
    assert anonymous.login(agents["marc"], "pas le bon").status_code == 401
    julie = _console(servers, agents["julie"])
    no_csrf = julie.http.post(f"{servers.console_url}/api/tickets/1/claim")
    assert no_csrf.status_code == 403
    page = julie.http.get(f"{servers.console_url}/")
    assert page.status_code == 200 and "Console conseillers" in page.text
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    cookie = julie.http.cookies.get_dict()
    assert "console_session" in cookie
    assert julie.post("/api/logout").status_code == 200
    assert julie.get("/api/tickets").status_code == 401

    # Five wrong passwords lock the account, even for the right one.
    locked = f"locked-{uuid.uuid4().hex[:6]}@operateur.test"
    add_agent(e2e_env, locked, "Lou", PASSWORD)
    for _ in range(4):
        assert AgentConsole(servers).login(locked, "faux").status_code == 401
    assert AgentConsole(servers).login(locked, "faux").status_code == 429
    assert AgentConsole(servers).login(locked, PASSWORD).status_code == 429
