"""Requests to hand a conversation over to a human advisor."""

from __future__ import annotations

from bot import audit
from bot.config import Settings
from bot.db import ensure_schema, session_scope


def request_handoff(
    *, conversation_id: str, channel: str, reason: str, settings: Settings | None = None
) -> None:
    """Record that this conversation asks for an advisor, in the audit trail."""
    ensure_schema(settings)
    with session_scope(settings) as session:
        audit.record(
            session,
            actor=f"conversation:{conversation_id}",
            action="handoff_requested",
            subject=f"conversation:{conversation_id}",
            channel=channel,
            details={"reason": reason},
        )
