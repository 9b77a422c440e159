"""Chatwoot agent bot: the assistant answers an inbox's conversations inside Chatwoot.

Chatwoot posts every event of the inbox to /webhooks/chatwoot/webhook?secret=…
(app/listeners/agent_bot_listener.rb). Released versions do not sign these calls, so
the secret in the URL is the proof, compared in constant time; a signature header
(X-Chatwoot-Signature, newer versions) is checked too when present. Anything else
gets 403 and is not read.

Only customers' messages of `pending` conversations (those the bot holds) reach the
assistant, each message id once; the bot's own messages, which Chatwoot sends back,
and agents' are ignored. Answers are outbox rows that the dispatcher posts, in order,
retrying while Chatwoot is down. An agent setting the conversation back to `pending`
hands it back to the assistant; `resolved` ends the Rasa session.

The webhook answers at once and the assistant works afterwards: Chatwoot waits 5 s
for an agent bot, then marks the message failed and opens the conversation to agents
(lib/webhooks/trigger.rb).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Coroutine
from dataclasses import replace
from typing import Any

from rasa.core.channels.channel import InputChannel
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, Restarted
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import chatwoot_api
from bot.channels.buttons import choices_from, titled_payload
from bot.channels.chatwoot_api import ConversationRef
from bot.channels.chatwoot_outbox import queue_now
from bot.channels.chatwoot_webhooks import (
    PENDING,
    RESOLVED,
    ChatwootEvent,
    CustomerMessage,
    read_event,
)
from bot.channels.memory import ChannelMemory
from bot.channels.signatures import chatwoot_request_valid
from bot.channels.store import DatabaseMemory
from bot.handoff import tickets
from bot.handoff.chatwoot import RESOLVED as RESOLVED_OUTCOME
from bot.handoff.chatwoot import release_now
from channels.base import NumberingOutput, OnNewMessage, hand_over, required

logger = logging.getLogger(__name__)
CHANNEL = "chatwoot"
SECRET_PARAMETER = "secret"
SIGNATURE_HEADER = "X-Chatwoot-Signature"
TIMESTAMP_HEADER = "X-Chatwoot-Timestamp"
HANDOFF_ENDED = "action_handoff_ended"


class ChatwootOutput(NumberingOutput):
    """Queues each answer as a Chatwoot message; buttons become an input_select."""

    @classmethod
    def name(cls) -> str:
        """Return the channel's name."""
        return CHANNEL

    def __init__(
        self, memory: ChannelMemory | None = None, reply_to: str | None = None
    ) -> None:
        super().__init__()
        self._memory = memory
        # The customer message answered: its answers get idempotency keys.
        self._reply_to = reply_to
        self._queued = 0

    async def send_text_message(
        self, recipient_id: str, text: str, **kwargs: Any
    ) -> None:
        """Queue `text` as an outgoing message of the conversation."""
        await self._queue(recipient_id, chatwoot_api.message(text))

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Queue `text` with its buttons as input_select items (value: payload)."""
        choices = choices_from(buttons)
        self.number(choices)  # remembered: a reply with a title or number maps back
        await self._queue(recipient_id, chatwoot_api.message(text, choices))
        if self._reply_to is None and self._memory is not None and choices:
            await asyncio.to_thread(
                self._memory.offered, CHANNEL, recipient_id, choices
            )

    async def _queue(self, recipient_id: str, operation: str) -> None:
        if ConversationRef.from_sender_id(recipient_id) is None:
            logger.error("%s: %r is no Chatwoot conversation", CHANNEL, recipient_id)
            return
        key = None
        if self._reply_to is not None:
            key = f"{CHANNEL}:answer:{self._reply_to}:{self._queued}"
        self._queued += 1
        await asyncio.to_thread(queue_now, recipient_id, operation, key)


class ChatwootInput(InputChannel):
    """Receives the agent-bot webhooks of one Chatwoot account."""

    @classmethod
    def name(cls) -> str:
        """Return the channel's name (the URL is /webhooks/chatwoot/webhook)."""
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Build the channel from url, account_id, bot_token and webhook_secret."""
        given = required(
            cls, credentials, "url", "account_id", "bot_token", "webhook_secret"
        )
        return cls(
            url=str(given["url"]).strip(),
            account_id=str(given["account_id"]).strip(),
            bot_token=str(given["bot_token"]).strip(),
            webhook_secret=str(given["webhook_secret"]).strip(),
        )

    def __init__(
        self,
        url: str,
        account_id: str,
        bot_token: str,
        webhook_secret: str,
        *,
        memory: ChannelMemory | None = None,
    ) -> None:
        if not account_id.isdigit():
            raise RasaException(f"The {CHANNEL} account_id must be a number.")
        # Required to be on, but the outbox dispatcher is what posts to Chatwoot
        # (it reads CHATWOOT_URL and CHATWOOT_BOT_TOKEN itself).
        del bot_token
        self.url = url
        self.account_id = account_id
        self.webhook_secret = webhook_secret
        self.memory = memory or DatabaseMemory()
        self._tasks: set[asyncio.Task] = set()

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """Declare GET / (health) and POST /webhook."""
        webhook = Blueprint(f"{CHANNEL}_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not chatwoot_request_valid(
                self.webhook_secret,
                request.args.get(SECRET_PARAMETER),
                request.body,
                request.headers.get(SIGNATURE_HEADER),
                request.headers.get(TIMESTAMP_HEADER),
            ):
                logger.warning("%s: refused a call without our secret", CHANNEL)
                return response.text("forbidden", status=403)
            try:
                payload = json.loads(request.body)
            except ValueError:
                return response.text("not JSON", status=400)
            found = None
            if isinstance(payload, dict):
                found = read_event(payload, self.account_id)
            if found is not None:
                agent = request.app.ctx.agent
                self._later(self._handle(found, agent, on_new_message))
            return response.json({"status": "ok"})

        return webhook

    def get_output_channel(self) -> ChatwootOutput:
        """An output for messages the assistant starts (an agent handing back…)."""
        return ChatwootOutput(self.memory)

    def _later(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` after the webhook's answer, keeping a reference to it."""
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(
        self, event: ChatwootEvent, agent: Any, on_new_message: OnNewMessage
    ) -> None:
        sender_id = event.conversation.sender_id
        try:
            if isinstance(event, CustomerMessage):
                await self._answer(event, on_new_message)
            elif event.status == PENDING:
                if await asyncio.to_thread(release_now, sender_id, tickets.HANDED_BACK):
                    await self._run_action(agent, sender_id, HANDOFF_ENDED)
            elif event.status == RESOLVED:
                await asyncio.to_thread(release_now, sender_id, RESOLVED_OUTCOME)
                await self._restart(agent, sender_id)
        except Exception:
            logger.exception("%s: an event of %s failed", CHANNEL, sender_id)

    async def _answer(
        self, event: CustomerMessage, on_new_message: OnNewMessage
    ) -> None:
        """Hand a customer's message to the assistant, if the bot holds the chat."""
        incoming = event.incoming
        if event.status != PENDING:
            logger.info(
                "%s: %s is %s (agents hold it): not answered",
                CHANNEL,
                incoming.sender,
                event.status or "of unknown status",
            )
            return
        choices = await asyncio.to_thread(
            self.memory.offered_choices, CHANNEL, incoming.sender
        )
        payload = titled_payload(incoming.text, choices)
        if payload is not None:
            incoming = replace(incoming, text=payload)
        output = ChatwootOutput(self.memory, reply_to=incoming.message_id)
        await hand_over(on_new_message, self.memory, CHANNEL, incoming, output)

    async def _run_action(self, agent: Any, sender_id: str, action: str) -> None:
        """Run an action of the assistant in the conversation, then listen."""
        async with agent.lock_store.lock(sender_id):
            tracker = await agent.execute_action(
                sender_id, action, self.get_output_channel(), None, None
            )
            if tracker is not None:
                tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
                await agent.tracker_store.save(tracker)

    async def _restart(self, agent: Any, sender_id: str) -> None:
        """End the Rasa conversation: its next message starts a new session."""
        async with agent.lock_store.lock(sender_id):
            tracker = await agent.tracker_store.retrieve(sender_id)
            if tracker is None:
                return
            tracker.update(Restarted())
            await agent.tracker_store.save(tracker)
