"""Outgoing messages: senders per channel and the worker that empties the outbox."""

from bot.messaging.dispatcher import DispatchReport, dispatch_pending, run_forever
from bot.messaging.senders import (
    ConsoleSender,
    HttpSender,
    MessageSender,
    SendError,
    SmsSender,
    TwilioSender,
    sender_from_settings,
    senders_from_settings,
)

__all__ = [
    "ConsoleSender",
    "DispatchReport",
    "HttpSender",
    "MessageSender",
    "SendError",
    "SmsSender",
    "TwilioSender",
    "dispatch_pending",
    "run_forever",
    "sender_from_settings",
    "senders_from_settings",
]
