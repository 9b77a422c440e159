"""Rasa's socket.io channel, with private sessions, shared between Rasa servers.

Private sessions. Rasa's channel uses the session id a client sends as the
conversation id, and takes it again from every message: anyone who learns or
guesses an id joins that conversation, verified number included. Here the id the
widget keeps is a secret token (given out by the server, or 32+ characters chosen
by the client), and the conversation is a keyed hash of it: the conversation ids
that logs, trackers, tickets and the API show cannot be turned back into a token,
and a socket speaks only in the conversation it asked for at `session_request`.

Several servers. A widget's socket lives on one Rasa server, but an answer may
come from another (an advisor's reply sent through any server's HTTP API). With
`LOCK_STORE_URL` set, python-socketio's Redis manager publishes every emit to all
servers, and the one holding the socket delivers it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint
from socketio import AsyncRedisManager

from bot.config import get_settings
from channels.stores import LOCK_STORE_VARIABLE

logger = logging.getLogger(__name__)
# The Redis pub/sub channel of the emits (the lock keys use another prefix).
MESSAGE_QUEUE_CHANNEL = "assistant-socketio"
# A token the client may keep: long and random enough not to be guessed.
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{32,128}")
CONVERSATION_PREFIX = "web-"


def conversation_id_for(token: str, secret: bytes) -> str:
    """The conversation of a widget's session token (a keyed hash of it)."""
    digest = hmac.new(secret, b"socketio-session:" + token.encode(), hashlib.sha256)
    return CONVERSATION_PREFIX + digest.hexdigest()[:32]


def session_token(asked: Any) -> str:
    """The token a `session_request` gets: the client's if it may keep it, else new."""
    if isinstance(asked, str) and TOKEN_RE.fullmatch(asked):
        return asked
    return secrets.token_urlsafe(32)


class SharedSocketIOInput(SocketIOInput):
    """socket.io with private sessions, whose emits reach any server's sockets."""

    @classmethod
    def name(cls) -> str:
        # The same name as Rasa's channel: trackers record "socketio" either way.
        return "socketio"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Rasa's blueprint with our session handlers (and Redis when set)."""
        socketio_blueprint = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None  # set by Rasa's blueprint()
        secret = get_settings().server_secret()
        conversations: dict[str, str] = {}  # socket id -> conversation id

        # Registering an event again replaces Rasa's handler for it.
        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any) -> None:
            asked = data.get("session_id") if isinstance(data, dict) else None
            token = session_token(asked)
            conversation = conversation_id_for(token, secret)
            previous = conversations.get(sid)
            if previous is not None and previous != conversation:
                sio.leave_room(sid, previous, namespace=self.namespace)
            conversations[sid] = conversation
            sio.enter_room(sid, conversation, namespace=self.namespace)
            await sio.emit("session_confirm", token, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            conversation = conversations.get(sid)
            if conversation is None or not isinstance(data, dict):
                # No session asked on this socket: nobody to answer.
                logger.warning("socket.io message before session_request, ignored")
                return
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            message = UserMessage(
                str(data.get("message") or ""),
                SocketIOOutput(sio, self.bot_message_evt),
                conversation,
                input_channel=self.name(),
                metadata=metadata if isinstance(metadata, dict) else {},
            )
            await on_new_message(message)

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: str) -> None:
            conversations.pop(sid, None)

        url = os.environ.get(LOCK_STORE_VARIABLE, "").strip()
        if url:
            # No client has connected yet: the server initialises its manager on
            # the first connection, so replacing it here is safe.
            manager = AsyncRedisManager(url, channel=MESSAGE_QUEUE_CHANNEL)
            manager.set_server(sio)
            sio.manager = manager
        return socketio_blueprint
