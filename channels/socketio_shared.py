"""Rasa's socket.io channel, shared between Rasa servers through Redis.

A widget's socket lives on one Rasa server, but an answer may be produced on
another one: an advisor's reply sent through any server's HTTP API, or a message
that nginx routed elsewhere. With `LOCK_STORE_URL` set, python-socketio's Redis
manager publishes every emit to all servers, and the one holding the socket
delivers it. Without it (one server, `make run`) this is Rasa's channel unchanged.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint
from socketio import AsyncRedisManager

from channels.stores import LOCK_STORE_VARIABLE

# The Redis pub/sub channel of the emits (the lock keys use another prefix).
MESSAGE_QUEUE_CHANNEL = "assistant-socketio"


class SharedSocketIOInput(SocketIOInput):
    """socket.io whose emits reach the socket on whichever server holds it."""

    @classmethod
    def name(cls) -> str:
        # The same name as Rasa's channel: trackers record "socketio" either way.
        return "socketio"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Rasa's blueprint, with the Redis manager when one is configured."""
        socketio_blueprint = super().blueprint(on_new_message)
        url = os.environ.get(LOCK_STORE_VARIABLE, "").strip()
        if url and self.sio is not None:
            # No client has connected yet: the server initialises its manager on
            # the first connection, so replacing it here is safe.
            manager = AsyncRedisManager(url, channel=MESSAGE_QUEUE_CHANNEL)
            manager.set_server(self.sio)
            self.sio.manager = manager
        return socketio_blueprint
