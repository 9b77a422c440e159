"""Rasa's tracker and lock stores, chosen from the environment.

`endpoints.yml` names these classes, so one file serves both profiles: with no
variable set, the in-process stores of the embedded profile; with
`TRACKER_STORE_URL` (an SQLAlchemy URL) conversations live in SQL and survive a
restart; with `LOCK_STORE_URL` (`redis://host:port/db`) several Rasa servers
share their conversation locks (made atomic here). Rasa instantiates a custom
store class itself, so `__new__` returns a store Rasa knows, not a wrapper.
"""

from __future__ import annotations

import itertools
import os
from typing import Any
from urllib.parse import unquote, urlparse

from rasa.core.brokers.broker import EventBroker
from rasa.core.lock_store import (
    LOCK_LIFETIME,
    InMemoryLockStore,
    LockStore,
    RedisLockStore,
)
from rasa.core.tracker_store import (
    InMemoryTrackerStore,
    SQLTrackerStore,
    TrackerStore,
)
from rasa.shared.core.events import Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url

from bot.handoff.transcript import customer_text
from bot.logs import set_conversation
from bot.masking import CODE_MASK, mask_codes

TRACKER_STORE_VARIABLE = "TRACKER_STORE_URL"
LOCK_STORE_VARIABLE = "LOCK_STORE_URL"
# Prefix of the lock keys in Redis, so the lock store can share a Redis database.
LOCK_KEY_PREFIX = "assistant"
# The entity and the form slot that carry a one-time code.
CODE_SLOT = "otp_code"
# Longest hold of the short mutex around one read-modify-write of a lock.
MUTEX_SECONDS = 5.0


def sql_store_arguments(url: str) -> dict[str, Any]:
    """SQLTrackerStore's keyword arguments for an SQLAlchemy URL."""
    parsed = make_url(url)
    if not parsed.database:
        raise ValueError(f"{TRACKER_STORE_VARIABLE} names no database: {parsed!r}")
    return {
        "dialect": parsed.drivername,
        "host": parsed.host,
        "port": parsed.port,
        "db": parsed.database,
        "username": parsed.username,
        "password": parsed.password,
        "query": dict(parsed.query) or None,
    }


def redis_lock_arguments(url: str) -> dict[str, Any]:
    """RedisLockStore's keyword arguments for a `redis://` or `rediss://` URL."""
    parsed = urlparse(url)
    if parsed.scheme not in ("redis", "rediss"):
        raise ValueError(f"{LOCK_STORE_VARIABLE} must be a redis:// URL, not {url!r}")
    database = parsed.path.strip("/") or "0"
    if not database.isdigit():
        raise ValueError(f"{LOCK_STORE_VARIABLE}: the database must be a number")
    return {
        "host": parsed.hostname or "localhost",
        "port": parsed.port or 6379,
        "db": int(database),
        "username": unquote(parsed.username) if parsed.username else None,
        "password": unquote(parsed.password) if parsed.password else None,
        "use_ssl": parsed.scheme == "rediss",
        "key_prefix": LOCK_KEY_PREFIX,
    }


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's Redis lock store, with each change of a lock made atomic.

    Rasa 3.6 reads a conversation's ticket lock, changes it and writes it back
    with no transaction: two servers issuing tickets at once overwrite each
    other, and a server that deletes the lock after its turn can delete a ticket
    just issued elsewhere, whose message then fails with "Could not acquire
    lock" (seen with 12 messages sent at once to 2 servers). A short Redis mutex
    per conversation serialises these read-modify-writes.
    """

    def _mutex(self, conversation_id: str) -> Any:
        return self.red.lock(
            f"{self.key_prefix}{conversation_id}:mutex",
            timeout=MUTEX_SECONDS,
            blocking_timeout=MUTEX_SECONDS,
        )

    def issue_ticket(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME
    ) -> int:
        """Issue a ticket (see LockStore), atomically."""
        with self._mutex(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        """Drop expired tickets (see LockStore), atomically."""
        with self._mutex(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Finish a ticket and delete the lock if nobody waits, atomically."""
        with self._mutex(conversation_id):
            super().cleanup(conversation_id, ticket_number)


class _PrivateTrackers:
    """What every tracker store of the assistant adds to Rasa's:

    - the log lines of a message's processing carry its conversation (Rasa
      fetches the tracker first, in the task that then handles the message);
    - a one-time code never stays in a stored tracker: the message that carried
      it, its entity and the form's slot are kept masked (the code has been
      checked by then, in the turn that received it);
    - a turn's new events reach the event broker in one call when it can.
    """

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        set_conversation(sender_id)
        return await super().retrieve(sender_id)  # type: ignore[misc]

    async def save(self, tracker: DialogueStateTracker) -> None:
        for event in tracker.events:
            mask_code_in_event(event)
        await super().save(tracker)  # type: ignore[misc]

    async def _stream_new_events(
        self, event_broker: EventBroker, new_events: list[Event], sender_id: str
    ) -> None:
        """Hand a turn's events to the broker together when it takes them so
        (channels/handoff_broker.py: one ticket lookup per turn, not per event)."""
        bodies = [{"sender_id": sender_id, **event.as_dict()} for event in new_events]
        publish_many = getattr(event_broker, "publish_many", None)
        if publish_many is None:
            for body in bodies:
                event_broker.publish(body)
        else:
            publish_many(bodies)


def mask_code_in_event(event: Event) -> None:
    """Mask one-time codes in a user message or in the code slot, in place."""
    if isinstance(event, UserUttered) and event.text:
        masked = customer_text(event.text, event.entities)
        if masked == event.text:
            return
        event.text = masked
        for entities in (event.entities, event.parse_data.get("entities") or []):
            for entity in entities:
                if entity.get("entity") == CODE_SLOT:
                    entity["value"] = CODE_MASK
        event.parse_data["text"] = masked
    elif isinstance(event, SlotSet) and event.key == CODE_SLOT:
        if isinstance(event.value, str) and mask_codes(event.value) != event.value:
            event.value = CODE_MASK


class PrivateInMemoryTrackerStore(_PrivateTrackers, InMemoryTrackerStore):
    """Rasa's in-memory tracker store, private (see _PrivateTrackers)."""


class PrivateSQLTrackerStore(_PrivateTrackers, SQLTrackerStore):
    """Rasa's SQL tracker store, private (see _PrivateTrackers)."""

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        """Publish the events not stored yet, counted rather than loaded.

        Rasa loads the whole stored session again (every event decoded and
        replayed) only to count its events: 8 % of a Rasa server's CPU under
        `make bench-prod` (py-spy). The same query, counted in the database, is the
        one Rasa's `save` itself uses to know which events to store.
        """
        if self.event_broker is None:
            return
        with self.session_scope() as session:
            stored = self._event_query(
                session, tracker.sender_id, fetch_events_from_all_sessions=False
            ).count()
        new_events = list(itertools.islice(tracker.events, stored, None))
        await self._stream_new_events(self.event_broker, new_events, tracker.sender_id)


class EnvTrackerStore:
    """SQL tracker store when TRACKER_STORE_URL is set, in-memory otherwise."""

    def __new__(  # type: ignore[misc]
        cls, domain: Any = None, event_broker: Any = None, **_: Any
    ) -> TrackerStore:
        url = os.environ.get(TRACKER_STORE_VARIABLE, "").strip()
        if not url:
            return PrivateInMemoryTrackerStore(domain, event_broker)
        return PrivateSQLTrackerStore(
            domain=domain, event_broker=event_broker, **sql_store_arguments(url)
        )


class EnvLockStore:
    """Redis lock store when LOCK_STORE_URL is set, in-process otherwise."""

    def __new__(cls, **_: Any) -> LockStore:  # type: ignore[misc]
        url = os.environ.get(LOCK_STORE_VARIABLE, "").strip()
        if not url:
            return InMemoryLockStore()
        return AtomicRedisLockStore(**redis_lock_arguments(url))
