"""The tracker and lock stores chosen from the environment (channels/stores.py)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from rasa.core.lock_store import InMemoryLockStore, RedisLockStore
from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from channels.stores import (
    EnvLockStore,
    EnvTrackerStore,
    mask_code_in_event,
    redis_lock_arguments,
    sql_store_arguments,
)
from scripts.servers import free_port


def test_postgresql_url_becomes_sql_store_arguments():
    arguments = sql_store_arguments(
        "postgresql+psycopg2://rasa:s3cr%40t@db.internal:5433/rasa?sslmode=require"
    )
    assert arguments == {
        "dialect": "postgresql+psycopg2",
        "host": "db.internal",
        "port": 5433,
        "db": "rasa",
        "username": "rasa",
        "password": "s3cr@t",
        "query": {"sslmode": "require"},
    }


def test_sqlite_url_keeps_the_file_path():
    arguments = sql_store_arguments("sqlite:////srv/var/tracker.db")
    assert arguments["dialect"] == "sqlite"
    assert arguments["db"] == "/srv/var/tracker.db"
    assert arguments["query"] is None


def test_url_without_database_is_refused():
    with pytest.raises(ValueError, match="TRACKER_STORE_URL"):
        sql_store_arguments("postgresql://rasa@db.internal")


def test_redis_url_becomes_lock_store_arguments():
    arguments = redis_lock_arguments("rediss://:p%40ss@cache.internal:6380/2")
    assert arguments["host"] == "cache.internal"
    assert arguments["port"] == 6380
    assert arguments["db"] == 2
    assert arguments["password"] == "p@ss"
    assert arguments["use_ssl"] is True


def test_redis_url_defaults_to_database_zero_on_6379():
    arguments = redis_lock_arguments("redis://localhost")
    assert arguments["port"] == 6379
    assert (arguments["db"], arguments["use_ssl"]) == (0, False)


@pytest.mark.parametrize("url", ["http://localhost:6379/0", "redis://localhost/x"])
def test_bad_redis_urls_are_refused(url):
    with pytest.raises(ValueError, match="LOCK_STORE_URL"):
        redis_lock_arguments(url)


def test_without_variables_the_stores_are_in_process(monkeypatch):
    monkeypatch.delenv("TRACKER_STORE_URL", raising=False)
    monkeypatch.delenv("LOCK_STORE_URL", raising=False)
    assert isinstance(EnvTrackerStore(domain=Domain.empty()), InMemoryTrackerStore)
    assert isinstance(EnvLockStore(endpoint_config=None), InMemoryLockStore)


def test_lock_store_url_gives_redis_lock_store(monkeypatch):
    # RedisLockStore connects lazily: building it needs no server.
    monkeypatch.setenv("LOCK_STORE_URL", "redis://127.0.0.1:1/3")
    store = EnvLockStore(endpoint_config=None)
    assert isinstance(store, RedisLockStore)
    assert store.key_prefix.startswith("assistant")


async def test_sql_tracker_store_keeps_conversations_across_instances(
    monkeypatch, tmp_path
):
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    first = EnvTrackerStore(domain=Domain.empty())
    assert isinstance(first, SQLTrackerStore)
    tracker = DialogueStateTracker.from_events(
        "conversation-1", [UserUttered("bonjour", {"name": "greet"})]
    )
    await first.save(tracker)

    # A restarted server builds a new store on the same database.
    second = EnvTrackerStore(domain=Domain.empty())
    restored = await second.retrieve("conversation-1")
    assert restored is not None
    assert restored.latest_message.text == "bonjour"


@pytest.fixture
def redis_url(tmp_path):
    """A throwaway redis-server on loopback (Debian's redis-server, as CI installs)."""
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", ""],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait()


def _hold_in_turn(store, conversation_id: str, holders: list[str], name: str) -> None:
    async def hold() -> None:
        async with store.lock(conversation_id, wait_time_in_seconds=0.02):
            holders.append(f"+{name}")
            await asyncio.sleep(0.01)
            holders.append(f"-{name}")

    asyncio.run(hold())


def test_two_servers_locking_one_conversation_take_turns(redis_url, monkeypatch):
    # Two servers (two stores) and 16 messages of one conversation at once.
    monkeypatch.setenv("LOCK_STORE_URL", redis_url)
    servers = [EnvLockStore(endpoint_config=None) for _ in range(2)]
    holders: list[str] = []
    with ThreadPoolExecutor(max_workers=16) as pool:
        futures = [
            pool.submit(_hold_in_turn, servers[i % 2], "conv", holders, str(i))
            for i in range(16)
        ]
        for future in futures:
            future.result()  # a lost ticket raises LockError here
    assert len(holders) == 32
    # Never two holders at once: every "+" is followed by its own "-".
    for enter, leave in zip(holders[::2], holders[1::2], strict=False):
        assert enter.startswith("+") and leave == "-" + enter[1:]


async def test_a_stored_tracker_keeps_no_one_time_code(monkeypatch):
    monkeypatch.delenv("TRACKER_STORE_URL", raising=False)
    store = EnvTrackerStore(domain=Domain.empty())
    entity = {"entity": "otp_code", "value": "482913", "start": 10, "end": 16}
    typed = UserUttered(
        "voilà mon 482913 merci",
        {"name": "inform"},
        [dict(entity)],
        parse_data={"entities": [dict(entity)]},
    )
    tracker = DialogueStateTracker.from_events(
        "conversation-2",
        [typed, SlotSet("otp_code", "482913"), UserUttered("c'est le 06 12 34 56 78")],
    )
    await store.save(tracker)

    stored = await store.retrieve("conversation-2")
    events = [event.as_dict() for event in stored.events]
    assert "482913" not in json.dumps(events)
    first = events[0]
    assert first["text"] == "voilà mon •••••• merci"
    assert first["parse_data"]["text"] == first["text"]
    assert first["parse_data"]["entities"][0]["value"] == "••••••"
    assert events[1]["value"] == "••••••"
    # Not a code: a phone number stays as typed (the form needs it later).
    assert events[2]["text"] == "c'est le 06 12 34 56 78"


def test_a_slot_that_is_not_a_code_is_left_alone():
    verified = SlotSet("otp_code", "verified")
    mask_code_in_event(verified)
    assert verified.value == "verified"


class _Recorder:
    """An event broker that keeps what it is given."""

    def __init__(self) -> None:
        self.published: list[dict] = []

    def publish(self, event: dict) -> None:
        self.published.append(event)


async def test_sql_store_publishes_each_new_event_once_as_rasas_does(
    monkeypatch, tmp_path
):
    """Counting the stored events gives the broker what Rasa's own store gives it:
    each event once, in order, including after a new session started."""
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted

    published: dict[str, list[str]] = {}
    for name, store_class in (("ours", None), ("rasa", SQLTrackerStore)):
        broker = _Recorder()
        url = f"sqlite:///{tmp_path / (name + '.db')}"
        if store_class is None:
            monkeypatch.setenv("TRACKER_STORE_URL", url)
            store = EnvTrackerStore(domain=Domain.empty(), event_broker=broker)
        else:
            store = store_class(
                domain=Domain.empty(), event_broker=broker, **sql_store_arguments(url)
            )
        tracker = DialogueStateTracker.from_events(
            "c1", [ActionExecuted("action_session_start"), SessionStarted()]
        )
        await store.save(tracker)
        tracker = await store.retrieve("c1")
        tracker.update(UserUttered("bonjour", {"name": "greet"}))
        tracker.update(BotUttered("Bonjour !"))
        await store.save(tracker)
        await store.save(tracker)  # nothing new: nothing published
        tracker = await store.retrieve("c1")
        for event in (
            ActionExecuted("action_session_start"),
            SessionStarted(),
            UserUttered("merci", {"name": "thank"}),
        ):
            tracker.update(event)
        await store.save(tracker)
        published[name] = [
            f"{e['event']}:{e.get('text') or e.get('name') or ''}"
            for e in broker.published
        ]
    assert published["ours"] == published["rasa"]
    assert published["ours"].count("user:bonjour") == 1
    assert published["ours"][-1] == "user:merci"


class _TurnRecorder(_Recorder):
    """A broker that takes a turn's events together."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def publish_many(self, events: list[dict]) -> None:
        self.calls += 1
        self.published.extend(events)


@pytest.mark.parametrize("url", [None, "sqlite"])
async def test_a_turns_events_reach_the_broker_in_one_call(monkeypatch, tmp_path, url):
    from rasa.shared.core.events import BotUttered

    if url:
        monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path / 't.db'}")
    else:
        monkeypatch.delenv("TRACKER_STORE_URL", raising=False)
    broker = _TurnRecorder()
    store = EnvTrackerStore(domain=Domain.empty(), event_broker=broker)
    tracker = DialogueStateTracker.from_events("c1", [])
    for event in (UserUttered("bonjour"), BotUttered("Bonjour !"), BotUttered("Et ?")):
        tracker.update(event)
    await store.save(tracker)
    assert broker.calls == 1
    assert [e["event"] for e in broker.published] == ["user", "bot", "bot"]
    assert all(e["sender_id"] == "c1" for e in broker.published)
