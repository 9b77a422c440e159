"""The audit trail: who did what to which subject, through which channel."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.models import AuditEvent, utcnow


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    subject: str,
    channel: str,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the session (written when the session commits)."""
    event = AuditEvent(
        at=utcnow(),
        actor=actor,
        action=action,
        subject=subject,
        channel=channel,
        details=dict(details or {}),
    )
    session.add(event)
    return event
