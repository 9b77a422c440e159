"""Two Rasa servers behind nginx, sharing PostgreSQL and Redis (`make prod-local`):
nothing lost, duplicated or applied twice, whichever server answers."""

from __future__ import annotations

import asyncio
import glob
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import socketio
from sqlalchemy import create_engine, select, text

from bot.config import Settings
from bot.db import session_scope
from bot.handoff.gateway import RasaGateway, api_token
from bot.models import OutboxMessage, Porting
from channels.socketio_shared import conversation_id_for
from tests.e2e.conftest import get_json, post_json
from tests.prod.conftest import JWT_SECRET, SERVER_SECRET, ProdLocal

MARIE = "0612345678"  # porting on Tue 8 Dec 2026, today pinned to Thu 26 Nov


def _say(base_url: str, sender: str, text: str) -> list[dict]:
    replies = post_json(
        f"{base_url}/webhooks/rest/webhook", {"sender": sender, "message": text}
    )
    assert isinstance(replies, list)
    return replies


def _texts(replies: list[dict]) -> str:
    return " ".join(reply.get("text", "") for reply in replies)


def _events(prod: ProdLocal, sender: str) -> list[dict]:
    tracker = get_json(
        f"{prod.rasa_url(0)}/conversations/{sender}/tracker",
        headers={"Authorization": f"Bearer {api_token(JWT_SECRET)}"},
    )
    assert isinstance(tracker, dict)
    return tracker["events"]


def _sms_to(prod: ProdLocal, msisdn: str) -> list[str]:
    settings = Settings.from_env({"DATABASE_URL": prod.database_url})
    with session_scope(settings) as session:
        rows = session.execute(
            select(OutboxMessage.text)
            .where(OutboxMessage.to == msisdn)
            .order_by(OutboxMessage.id)
        )
        return [text for (text,) in rows]


def _scheduled_on(prod: ProdLocal, msisdn: str) -> str:
    settings = Settings.from_env({"DATABASE_URL": prod.database_url})
    with session_scope(settings) as session:
        porting = session.execute(
            select(Porting).where(Porting.msisdn == msisdn)
        ).scalar_one()
        return porting.scheduled_on.isoformat()


def test_the_customers_entry_serves_neither_the_api_nor_rest(prod_local):
    front = prod_local.front_url
    assert _status(f"{front}/") == 200  # the widget's page
    assert _status(f"{front}/socket.io/?EIO=4&transport=polling") == 200
    for path in ("/status", "/conversations/x/tracker", "/model", "/version"):
        assert _status(f"{front}{path}") == 404
    assert _status(f"{front}/webhooks/rest/webhook", b'{"message": "hi"}') == 404
    assert _status(f"{front}/model", b"{}", "DELETE") == 403  # pages: GET only


def _status(url: str, body: bytes | None = None, method: str | None = None) -> int:
    request = urllib.request.Request(url, data=body, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_one_conversation_on_both_servers_keeps_one_ordered_tracker(prod_local):
    sender = f"scale-{uuid.uuid4().hex[:8]}"
    texts = [f"bonjour n°{i}" for i in range(12)]
    with ThreadPoolExecutor(max_workers=len(texts)) as pool:
        answers = list(
            pool.map(
                lambda item: _say(prod_local.rasa_url(item[0] % 2), sender, item[1]),
                enumerate(texts),
            )
        )
    assert all(answers), "every message got its answer"

    events = _events(prod_local, sender)
    said = [event["text"] for event in events if event["event"] == "user"]
    assert sorted(said) == sorted(texts)  # none lost, none twice
    # Turns never interleave: each message is answered, then the assistant
    # listens, before the next message is read.
    turns = [e for e in events if e["event"] == "user" or _listens(e)]
    first = next(i for i, e in enumerate(turns) if e["event"] == "user")
    kinds = ["user" if e["event"] == "user" else "listen" for e in turns[first:]]
    assert kinds == ["user", "listen"] * len(texts)


def _listens(event: dict) -> bool:
    return event["event"] == "action" and event.get("name") == "action_listen"


def test_a_change_confirmed_twice_at_once_applies_once(prod_local):
    inside, sender = prod_local.inside_url, f"scale-{uuid.uuid4().hex[:8]}"
    before = len(_sms_to(prod_local, MARIE))
    seen = len(prod_local.handset.texts_to(MARIE))
    _say(inside, sender, "je voudrais décaler ma portabilité")
    assert "code à 6 chiffres" in _texts(_say(inside, sender, MARIE))
    code = prod_local.handset.new_code(MARIE, seen)
    assert "mardi 8 décembre 2026" in _texts(_say(inside, sender, code))
    assert "samedi 12 décembre 2026" in _texts(_say(inside, sender, "le 12 décembre"))

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(
            pool.map(
                lambda index: _texts(_say(prod_local.rasa_url(index), sender, "oui")),
                (0, 1),
            )
        )
    assert sum("C'est fait" in answer for answer in answers) == 1
    assert _scheduled_on(prod_local, MARIE) == "2026-12-12"
    sms = _sms_to(prod_local, MARIE)
    assert len(sms) == before + 2  # the code, then one confirmation
    assert "samedi 12 décembre 2026" in sms[-1]
    # Once sent, the code SMS stays in the outbox without its code.
    assert "••••••" in sms[-2] and code not in " ".join(sms)
    # The code typed is nowhere in the stored conversation (tracker store).
    tracker_store = create_engine(prod_local.database_url.replace("/bot", "/rasa"))
    with tracker_store.connect() as connection:
        said = connection.execute(
            text(
                "SELECT count(*) FROM events"
                " WHERE sender_id = :id AND type_name = 'user'"
            ),
            {"id": sender},
        ).scalar_one()
        assert said >= 5  # the conversation is stored...
        leaks = connection.execute(
            text("SELECT count(*) FROM events WHERE data LIKE :code"),
            {"code": f"%{code}%"},
        ).scalar_one()
    assert leaks == 0  # ...without the code


async def test_an_advisor_reply_reaches_the_widget_on_either_server(prod_local):
    session_id = uuid.uuid4().hex  # the widget's secret token
    conversation = conversation_id_for(session_id, SERVER_SECRET.encode())
    received: list[str] = []
    client = socketio.AsyncClient()

    @client.on("bot_uttered")
    async def on_bot(data: dict) -> None:
        received.append(data.get("text", ""))

    confirmed = asyncio.Event()
    client.on("session_confirm", lambda _: confirmed.set())
    # The widget's socket lives on server 1 only.
    await client.connect(
        prod_local.rasa_url(0), socketio_path="/socket.io/", transports=["polling"]
    )
    try:
        await client.emit("session_request", {"session_id": session_id})
        await asyncio.wait_for(confirmed.wait(), 10)
        await client.emit(
            "user_uttered", {"message": "bonjour", "session_id": session_id}
        )
        await _until(lambda: any("Bonjour" in text for text in received))

        replies = ((1, "Ici Léa, conseillère."), (0, "Je regarde votre dossier."))
        for index, reply in replies:
            gateway = RasaGateway(prod_local.rasa_url(index), JWT_SECRET)
            await asyncio.to_thread(gateway.say, conversation, reply, {})
            await _until(lambda reply=reply: reply in received)
        await asyncio.sleep(1)  # a duplicate would arrive by now
        assert received.count("Ici Léa, conseillère.") == 1
        assert received.count("Je regarde votre dossier.") == 1
    finally:
        await client.disconnect()


async def _until(condition, timeout: float = 10) -> None:
    for _ in range(int(timeout * 20)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("not received in time")


def test_a_rasa_server_killed_mid_conversation_the_other_carries_on(prod_local):
    inside, sender = prod_local.inside_url, f"scale-{uuid.uuid4().hex[:8]}"
    asked = _texts(_say(inside, sender, "je veux changer la date de ma portabilité"))
    assert "numéro de mobile" in asked

    prod_local.kill("rasa-1")
    # Whichever server nginx tries first, the next turns are answered, in the same
    # conversation.
    seen = len(prod_local.handset.texts_to(MARIE))
    assert "code à 6 chiffres" in _texts(_say(inside, sender, MARIE))
    code = prod_local.handset.new_code(MARIE, seen)
    assert "portabilité" in _texts(_say(inside, sender, code))
    for _ in range(3):
        assert _say(inside, sender, "merci")
    assert "Stopped" not in prod_local.log("rasa-2")


def test_logs_are_json_with_conversation_ids_and_no_personal_data(prod_local):
    # A letter before the hex digits: an id whose 8 hex digits happen to be all
    # decimal would be a run of 6+ digits, which the logs mask (bot/logs.py), so
    # its lines would carry a hashed label, not the id.
    inside, sender = prod_local.inside_url, f"scale-t{uuid.uuid4().hex[:8]}"
    _say(inside, sender, "je veux changer la date de ma portabilité")
    _say(inside, sender, "06 12 34 56 78, mon mail jean.dupont@example.fr")
    time.sleep(1)
    tagged = set()
    for name in ("rasa-2", "actions-1", "actions-2", "console", "dispatcher"):
        text = prod_local.log(name)
        if name == "dispatcher":
            # The console SMS provider is the simulated handset: its texts are
            # the "SMS to" lines, not log lines.
            text = "\n".join(
                line for line in text.splitlines() if not line.startswith("SMS to ")
            )
        for clear in ("0612345678", "06 12 34 56 78", "jean.dupont@example.fr"):
            assert clear not in text, f"{clear} in clear in {name}.log"
        entries = [json.loads(line) for line in text.splitlines() if line[:1] == "{"]
        assert entries, f"no JSON line in {name}.log"
        assert {"time", "level", "service", "message"} <= set(entries[0])
        tagged |= {entry["conversation_id"] for entry in entries}
    assert sender in tagged  # the lines of this conversation name it


def test_no_code_sent_is_kept_in_clear_in_logs_or_databases(prod_local):
    # Every one-time code the customers of this suite received, on their handsets.
    handset = prod_local.state / "log" / "dispatcher.log"
    sent = [
        line for line in handset.read_text().splitlines() if line.startswith("SMS to ")
    ]
    codes = {code for line in sent for code in re.findall(r"\b\d{6}\b", line)}
    assert len(codes) >= 3  # the conversations above asked for them
    for log in sorted((prod_local.state / "log").glob("*.log")):
        lines = log.read_text(errors="replace").splitlines()
        kept = "\n".join(line for line in lines if not line.startswith("SMS to "))
        assert not [code for code in codes if _found(code, kept)], log.name
    for database in ("bot", "rasa"):  # the domain data and the conversations
        dump = _pg_dump(prod_local, database)
        assert "outbox" in dump or "events" in dump  # a real dump
        assert not [code for code in codes if _found(code, dump)], database


def _found(code: str, text: str) -> bool:
    # Not inside a longer number, nor the decimals of a timestamp.
    return re.search(rf"(?<![\d.]){code}(?!\d)", text) is not None


def _pg_dump(prod: ProdLocal, database: str) -> str:
    (pg_bin,) = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1:]
    command = [
        f"{pg_bin}/pg_dump",
        "-h",
        "127.0.0.1",
        "-p",
        str(prod.base + 60),
        "-U",
        "postgres",
        "--data-only",
        database,
    ]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout
