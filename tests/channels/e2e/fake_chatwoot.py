"""A local Chatwoot: the application API the agent bot calls, and the webhooks it sends.

Written from Chatwoot's public source and documentation (no network):
- API: POST /api/v1/accounts/{account}/conversations/{id}/messages, /labels and
  /toggle_status, authenticated by the `api_access_token` header
  (app/controllers/api/v1/accounts/conversations/messages_controller.rb,
  app/builders/messages/message_builder.rb, conversations_controller.rb#toggle_status,
  concerns/label_concern.rb); an input_select message carries
  content_attributes {"items": [{"title", "value"}]} (app/models/message.rb).
- Webhooks to the agent bot's URL (app/listeners/agent_bot_listener.rb): message
  events carry Message#webhook_data (the bot's own messages come back too),
  conversation events Conversation#webhook_data
  (app/presenters/conversations/event_data_presenter.rb) and, for
  conversation_status_changed, `changed_attributes`; a tap on an input_select item
  is a message_updated of the bot's message with content_attributes.submitted_values
  (app/controllers/api/v1/widget/messages_controller.rb). Newer versions sign them:
  X-Chatwoot-Signature "sha256=" + HMAC-SHA256(secret, "<timestamp>.<body>"), with
  X-Chatwoot-Timestamp and X-Chatwoot-Delivery (lib/webhooks/trigger.rb).
The fake can answer 5xx (`failing`) or stop listening (`down`) to test the outbox.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import aiohttp
from aiohttp import web

ACCOUNT_ID = 7
BOT_TOKEN = "test-chatwoot-bot-token"
WEBHOOK_SECRET = "test-chatwoot-webhook-secret"
INBOX = {"id": 3, "name": "Site web"}
ACCOUNT = {"id": ACCOUNT_ID, "name": "Opérateur Test"}
BOT = {"id": 1, "name": "Assistant", "type": "agent_bot"}
# Labels defined in the account (newer versions refuse others).
ACCOUNT_LABELS = frozenset(
    {
        "rappel",
        "conseiller",
        "demande_client",
        "incomprehension",
        "delai_depasse",
        "sans_portabilite",
        "portabilite_effectuee",
        "portabilite_annulee",
        "incident_technique",
        "annulation_commande",
        "changement_creneau",
    }
)
# The Chatwoot connector's entry of channels/credentials.py CONNECTORS, patched in by
# the tests until that file lists it (identical once it does).
CONTENT_TYPES = ("text", "input_select", "cards", "form", "article")
STATUSES = ("open", "resolved", "pending", "snoozed")


@dataclass
class Call:
    """One API request the fake received, and what it answered."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    status: int = 0

    @property
    def kind(self) -> str:
        """messages, labels or toggle_status."""
        return self.path.rsplit("/", 1)[-1]

    @property
    def conversation_id(self) -> int:
        """The conversation of the path."""
        return int(self.path.rstrip("/").split("/")[-2])


@dataclass
class Conversation:
    """A conversation of the inbox: its status, labels and messages."""

    id: int
    contact: dict[str, Any]
    status: str = "pending"
    labels: list[str] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Delivery:
    """A webhook the fake sent to the bot, and the bot's HTTP answer."""

    payload: dict[str, Any]
    status: int
    body: str


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """X-Chatwoot-Signature as Chatwoot computes it."""
    digest = hmac.new(
        secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return f"sha256={digest}"


class FakeChatwoot:
    """Chatwoot's API on 127.0.0.1, and the helpdesk's side of a conversation."""

    def __init__(self, sign: bool = True) -> None:
        self.sign = sign  # sign webhooks like newer versions
        self.bot_url: str | None = None  # the bot's webhook URL, without ?secret=
        self.failing: int | None = None  # answer every API call with this status
        self.calls: list[Call] = []
        self.deliveries: list[Delivery] = []
        self.conversations: dict[int, Conversation] = {}
        self.url = ""
        self._ids = itertools.count(1000)
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._background: set[asyncio.Task] = set()

    # -- serving ---------------------------------------------------------------

    def start(self) -> FakeChatwoot:
        """Serve in a thread of its own; `url` is Chatwoot's base URL."""
        threading.Thread(target=self._loop.run_forever, daemon=True).start()
        self.up()
        self.url = f"http://127.0.0.1:{self._port}"
        return self

    def up(self) -> None:
        """Listen (again, on the same port)."""
        self._run(self._listen())

    def down(self) -> None:
        """Stop listening and close connections: calls are refused."""
        self._run(self._close())

    def stop(self) -> None:
        """Stop for good."""
        self.down()
        self._loop.call_soon_threadsafe(self._loop.stop)

    def _run(self, work: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout=30)

    async def _listen(self) -> None:
        app = web.Application()
        base = "/api/v1/accounts/{account}/conversations/{conversation}/"
        app.router.add_post(base + "messages", self._messages)
        app.router.add_post(base + "labels", self._labels)
        app.router.add_post(base + "toggle_status", self._toggle_status)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self._port, reuse_address=True)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def _close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # -- the API ---------------------------------------------------------------

    async def _checked(
        self, request: web.Request
    ) -> tuple[Call, Conversation | None, web.Response | None]:
        """Record the call; (call, conversation, error answer if any)."""
        try:
            body = await request.json()
        except ValueError:
            body = None
        call = Call(request.method, request.path, dict(request.headers), body)
        with self._lock:
            self.calls.append(call)
        conversation = self.conversations.get(int(request.match_info["conversation"]))
        error = None
        if self.failing is not None:
            error = web.json_response({"error": "unavailable"}, status=self.failing)
        elif request.headers.get("api_access_token") != BOT_TOKEN:
            error = web.json_response({"error": "Invalid Access Token"}, status=401)
        elif request.match_info["account"] != str(ACCOUNT_ID) or conversation is None:
            error = web.json_response(
                {"error": "Resource could not be found"}, status=404
            )
        elif not isinstance(body, dict):
            error = web.json_response({"error": "Invalid JSON"}, status=400)
        call.status = error.status if error is not None else 200
        return call, conversation, error

    async def _messages(self, request: web.Request) -> web.Response:
        call, conversation, error = await self._checked(request)
        if error is not None or conversation is None:
            return error if error is not None else web.Response(status=404)
        body = call.body
        content_type = body.get("content_type") or "text"
        items = (body.get("content_attributes") or {}).get("items")
        if content_type not in CONTENT_TYPES or (
            content_type == "input_select" and not _valid_items(items)
        ):
            call.status = 422
            return web.json_response({"error": "Invalid content"}, status=422)
        message = self._message(
            conversation,
            content=body.get("content") or "",
            message_type=body.get("message_type") or "outgoing",
            content_type=content_type,
            content_attributes=body.get("content_attributes") or {},
            private=bool(body.get("private")),
            sender=BOT,
        )
        # Chatwoot sends the agent bot its own messages back (message_created).
        self._later(self._deliver_async(self.message_event(message, "message_created")))
        return web.json_response(self._public(message))

    async def _labels(self, request: web.Request) -> web.Response:
        call, conversation, error = await self._checked(request)
        if error is not None or conversation is None:
            return error if error is not None else web.Response(status=404)
        labels = call.body.get("labels")
        unknown = [x for x in labels or [] if x not in ACCOUNT_LABELS]
        if not isinstance(labels, list) or unknown:
            call.status = 422
            return web.json_response(
                {"error": f"Labels do not exist: {', '.join(unknown)}"}, status=422
            )
        conversation.labels = list(labels)  # the list is replaced
        return web.json_response({"payload": conversation.labels})

    async def _toggle_status(self, request: web.Request) -> web.Response:
        call, conversation, error = await self._checked(request)
        if error is not None or conversation is None:
            return error if error is not None else web.Response(status=404)
        wanted = call.body.get("status")
        if wanted not in STATUSES:
            call.status = 422
            return web.json_response({"error": "Invalid status"}, status=422)
        change = self._set_status(conversation, wanted)
        for event in change:
            self._later(self._deliver_async(event))
        return web.json_response(
            {
                "meta": {},
                "payload": {
                    "success": True,
                    "current_status": conversation.status,
                    "conversation_id": conversation.id,
                },
            }
        )

    def _later(self, work: Any) -> None:
        task = self._loop.create_task(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # -- the helpdesk's side ---------------------------------------------------

    def new_conversation(self, name: str = "Sophie") -> int:
        """A new conversation of the inbox, pending (the bot holds it)."""
        with self._lock:
            number = next(self._ids)
            contact = {"id": number, "name": name, "avatar": "", "type": "contact"}
            self.conversations[number] = Conversation(number, contact)
        return number

    def customer_says(
        self, conversation_id: int, text: str, **options: Any
    ) -> Delivery:
        """The customer writes: message_created (incoming) reaches the bot."""
        conversation = self.conversations[conversation_id]
        if conversation.status == "resolved":
            # A bot inbox reopens a resolved conversation as pending.
            for event in self._set_status(conversation, "pending"):
                self.deliver(event)
        message = self._message(
            conversation,
            content=text,
            message_type="incoming",
            content_type="text",
            content_attributes={},
            private=False,
            sender={**conversation.contact, "account": ACCOUNT},
        )
        return self.deliver(self.message_event(message, "message_created"), **options)

    def customer_taps(self, message: dict[str, Any], title: str) -> Delivery:
        """The customer taps the item titled `title` of the bot's input_select."""
        items = message["content_attributes"]["items"]
        item = next(item for item in items if item["title"] == title)
        message["content_attributes"]["submitted_values"] = [
            {"title": item["title"], "value": item["value"]}
        ]
        return self.deliver(self.message_event(message, "message_updated"))

    def agent_sets_status(self, conversation_id: int, status: str) -> list[Delivery]:
        """An agent changes the status: the events Chatwoot sends the bot."""
        conversation = self.conversations[conversation_id]
        return [self.deliver(event) for event in self._set_status(conversation, status)]

    def bot_messages(self, conversation_id: int) -> list[dict[str, Any]]:
        """The messages the bot posted in the conversation (notes too), oldest first."""
        return [
            message
            for message in list(self.conversations[conversation_id].messages)
            if message["sender"] == BOT
        ]

    def calls_for(self, conversation_id: int) -> list[Call]:
        """The API calls about the conversation, oldest first."""
        with self._lock:
            return [c for c in self.calls if c.conversation_id == conversation_id]

    # -- webhooks --------------------------------------------------------------

    def message_event(self, message: dict[str, Any], event: str) -> dict[str, Any]:
        """Message#webhook_data with the event's name."""
        conversation = self.conversations[message["conversation_id"]]
        return {
            "account": ACCOUNT,
            "additional_attributes": {},
            "content_attributes": message["content_attributes"],
            "content_type": message["content_type"],
            "content": message["content"],
            "conversation": self.conversation_data(conversation),
            "created_at": message["created_at"],
            "id": message["id"],
            "inbox": INBOX,
            "message_type": message["message_type"],
            "private": message["private"],
            "sender": message["sender"],
            "source_id": None,
            "event": event,
        }

    def conversation_data(self, conversation: Conversation) -> dict[str, Any]:
        """Conversation#webhook_data (Conversations::EventDataPresenter#push_data)."""
        now = int(time.time())
        last = [self._public(m) for m in conversation.messages[-1:]]
        return {
            "additional_attributes": {},
            "can_reply": True,
            "channel": "Channel::WebWidget",
            "contact_inbox": {
                "id": conversation.id,
                "contact_id": conversation.contact["id"],
                "inbox_id": INBOX["id"],
                "source_id": f"widget-{conversation.id}",
                "hmac_verified": False,
            },
            "id": conversation.id,
            "inbox_id": INBOX["id"],
            "messages": last,
            "labels": list(conversation.labels),
            "meta": {
                "sender": conversation.contact,
                "assignee": None,
                "assignee_type": None,
                "team": None,
                "hmac_verified": False,
            },
            "status": conversation.status,
            "custom_attributes": {},
            "snoozed_until": None,
            "unread_count": 0,
            "first_reply_created_at": None,
            "priority": None,
            "waiting_since": now,
            "agent_last_seen_at": 0,
            "contact_last_seen_at": 0,
            "last_activity_at": now,
            "timestamp": now,
            "created_at": now,
            "updated_at": float(now),
        }

    def deliver(
        self,
        payload: dict[str, Any],
        *,
        secret: str | None = WEBHOOK_SECRET,
        sign: bool | None = None,
        signature_value: str | None = None,
    ) -> Delivery:
        """POST a webhook to the bot as Chatwoot does (the URL carries `secret`)."""
        assert self.bot_url, "the agent bot's URL is not set"
        body = json.dumps(payload).encode()
        url = self.bot_url if secret is None else f"{self.bot_url}?secret={secret}"
        headers = self._headers(body, self.sign if sign is None else sign)
        if signature_value is not None:
            headers["X-Chatwoot-Signature"] = signature_value
        request = urllib.request.Request(url, data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                delivery = Delivery(payload, answer.status, answer.read().decode())
        except urllib.error.HTTPError as error:
            delivery = Delivery(payload, error.code, error.read().decode())
        with self._lock:
            self.deliveries.append(delivery)
        return delivery

    async def _deliver_async(self, payload: dict[str, Any]) -> None:
        if not self.bot_url:
            return
        body = json.dumps(payload).encode()
        url = f"{self.bot_url}?secret={WEBHOOK_SECRET}"
        try:
            async with aiohttp.ClientSession() as session:
                headers = self._headers(body, self.sign)
                async with session.post(url, data=body, headers=headers) as answer:
                    delivery = Delivery(payload, answer.status, await answer.text())
        except aiohttp.ClientError as error:
            delivery = Delivery(payload, 0, repr(error))
        with self._lock:
            self.deliveries.append(delivery)

    @staticmethod
    def _headers(body: bytes, sign: bool) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        if sign:
            timestamp = str(int(time.time()))
            headers["X-Chatwoot-Timestamp"] = timestamp
            headers["X-Chatwoot-Delivery"] = str(uuid.uuid4())
            headers["X-Chatwoot-Signature"] = signature(WEBHOOK_SECRET, timestamp, body)
        return headers

    # -- state -----------------------------------------------------------------

    def _message(self, conversation: Conversation, **fields: Any) -> dict[str, Any]:
        with self._lock:
            message = {
                "id": next(self._ids),
                "conversation_id": conversation.id,
                "created_at": datetime.now(timezone.utc).isoformat(),
                **fields,
            }
            conversation.messages.append(message)
        return message

    def _set_status(self, conversation: Conversation, status: str) -> list[dict]:
        """Change the status; the events the agent bot receives for it."""
        before, conversation.status = conversation.status, status
        if before == status:
            return []
        data = self.conversation_data(conversation)
        changed = [{"status": {"previous_value": before, "current_value": status}}]
        events = [
            {
                **data,
                "event": "conversation_status_changed",
                "changed_attributes": changed,
            }
        ]
        legacy = {"open": "conversation_opened", "resolved": "conversation_resolved"}
        if status in legacy:
            events.append({**data, "event": legacy[status]})
        return events

    @staticmethod
    def _public(message: dict[str, Any]) -> dict[str, Any]:
        return {**message, "account_id": ACCOUNT_ID, "inbox_id": INBOX["id"]}


def _valid_items(items: Any) -> bool:
    return (
        isinstance(items, list)
        and bool(items)
        and all(
            isinstance(item, dict)
            and isinstance(item.get("title"), str)
            and isinstance(item.get("value"), str)
            for item in items
        )
    )
