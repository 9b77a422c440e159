"""An advisor answers customers on their messaging channel: an SMS customer through
Twilio (the local fake), whose messages reach the ticket while the assistant stays
silent until the advisor hands back, and whose numbered choices of a message the
assistant starts are remembered like the others; a Telegram and a Messenger customer
too."""

from __future__ import annotations

import time
import uuid

from bot.handoff.gateway import RasaGateway
from tests.channels.e2e import test_messenger_signed as messenger
from tests.channels.e2e import test_telegram_secret as telegram
from tests.channels.e2e.conftest import ChannelServers, Fakes
from tests.channels.e2e.test_twilio_signed import (
    flat,
    new_number,
    new_sid,
    send,
    sent_to,
)
from tests.channels.fakes import (
    OUR_NUMBER,
    messenger_event,
    telegram_message,
    twilio_sms_form,
)
from tests.e2e.console_client import AgentConsole, add_agent

PASSWORD = "un-mot-de-passe-long"


def _sms(servers: ChannelServers, number: str, text: str) -> None:
    assert send(servers, twilio_sms_form(new_sid(), number, text)).status == 200


def _bodies(fakes: Fakes, number: str, since: int = 0) -> list[str]:
    return [flat(r.form["Body"]) for r in sent_to(fakes, number)[since:]]


def _wait_for_sms(fakes: Fakes, number: str, since: int, seconds: float = 10) -> list:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        bodies = _bodies(fakes, number, since)
        if bodies:
            return bodies
        time.sleep(0.2)
    raise AssertionError("no SMS reached the customer")


def test_an_advisor_answers_by_sms_and_hands_back(
    servers: ChannelServers, fakes: Fakes
) -> None:
    email = f"julie-{uuid.uuid4().hex[:6]}@operateur.test"
    add_agent(servers.env, email, "Julie", PASSWORD)
    number = new_number()

    _sms(servers, number, "je veux parler a un conseiller svp")
    assert "file d'attente" in " ".join(_bodies(fakes, number))

    julie = AgentConsole(servers)
    assert julie.login(email, PASSWORD).status_code == 200
    ticket = julie.ticket_of(number)
    assert ticket["channel"] == "twilio_signed"

    before = len(sent_to(fakes, number))
    assert julie.post(f"/api/tickets/{ticket['id']}/claim").status_code == 200
    joined = _wait_for_sms(fakes, number, before)
    assert "Julie" in " ".join(joined)

    before = len(sent_to(fakes, number))
    reply = julie.post(
        f"/api/tickets/{ticket['id']}/messages",
        {"text": "Bonjour, je regarde votre dossier."},
    )
    assert reply.status_code == 200
    sms = sent_to(fakes, number)[before:]
    assert [flat(m.form["Body"]) for m in sms] == [
        "Julie : Bonjour, je regarde votre dossier."
    ]
    assert {m.form["From"] for m in sms} == {OUR_NUMBER}

    before = len(sent_to(fakes, number))
    _sms(servers, number, "merci, c'est pour ma portabilite")
    julie.wait_for_line(ticket["id"], "merci, c'est pour ma portabilite")
    assert _bodies(fakes, number, before) == []  # the assistant stays silent

    before = len(sent_to(fakes, number))
    assert julie.post(f"/api/tickets/{ticket['id']}/handback").status_code == 200
    assert "assistant virtuel" in " ".join(_wait_for_sms(fakes, number, before))
    before = len(sent_to(fakes, number))
    _sms(servers, number, "c'est quoi le code rio")
    assert "3179" in " ".join(_bodies(fakes, number, before))


def test_the_callback_offer_by_sms_is_answered_with_its_number(
    servers: ChannelServers, fakes: Fakes
) -> None:
    number = new_number()
    _sms(servers, number, "je veux parler a quelqu'un")
    before = len(sent_to(fakes, number))
    # What the console runs when nobody claimed the ticket in time.
    servers_gateway(servers).run_action(number, "action_offer_callback")
    offer = " ".join(_wait_for_sms(fakes, number, before))
    assert "1. Oui" in offer and "2. Non, je patiente" in offer
    before = len(sent_to(fakes, number))
    _sms(servers, number, "1")  # the first numbered choice: /affirm
    assert "quel num" in " ".join(_bodies(fakes, number, before))


def servers_gateway(servers: ChannelServers) -> RasaGateway:
    """The gateway the console uses, pointed at this Rasa server."""
    return RasaGateway(servers.rasa_url, servers.env["RASA_JWT_SECRET"])


def _claim_and_reply(servers: ChannelServers, sender: str, text: str) -> None:
    email = f"agent-{uuid.uuid4().hex[:6]}@operateur.test"
    add_agent(servers.env, email, "Julie", PASSWORD)
    julie = AgentConsole(servers)
    assert julie.login(email, PASSWORD).status_code == 200
    ticket = julie.ticket_of(sender)
    assert julie.post(f"/api/tickets/{ticket['id']}/claim").status_code == 200
    sent = julie.post(f"/api/tickets/{ticket['id']}/messages", {"text": text})
    assert sent.status_code == 200


def test_an_advisor_answers_a_telegram_customer(
    servers: ChannelServers, fakes: Fakes
) -> None:
    chat = telegram.new_chat()
    update = telegram_message(telegram.new_update_id(), chat, "je veux un conseiller")
    assert telegram.send(servers, update).status == 200
    _claim_and_reply(servers, str(chat), "Bonjour, ici Julie.")
    texts = [m["text"] for m in telegram.calls(fakes, "sendMessage", chat)]
    assert "Julie : Bonjour, ici Julie." in texts


def test_an_advisor_answers_a_messenger_customer(
    servers: ChannelServers, fakes: Fakes
) -> None:
    psid = messenger.new_psid()
    event = messenger_event(psid, messenger.new_mid(), "je veux parler a quelqu'un")
    assert messenger.send(servers, event).status == 200
    _claim_and_reply(servers, psid, "Bonjour, ici Julie.")
    texts = [m.get("text") for m in messenger.sent_to(fakes, psid)]
    assert "Julie : Bonjour, ici Julie." in texts
