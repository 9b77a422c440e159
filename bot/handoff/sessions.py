"""Console sessions: a random cookie value and a CSRF token, stored only as hashes.

A session ends at logout, when the account is disabled, or after `idle` without a
request (each request moves its last-seen time).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.models import Agent, AgentSession, utcnow


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@dataclass(frozen=True)
class NewSession:
    """What the browser receives at login: the cookie value and the CSRF token."""

    token: str
    csrf_token: str


@dataclass(frozen=True)
class OpenSession:
    """A valid session: its agent and the hash its CSRF header must match."""

    agent: Agent
    csrf_hash: str

    def csrf_matches(self, header: str | None) -> bool:
        """Compare the X-CSRF-Token header with the session's, in constant time."""
        return bool(header) and hmac.compare_digest(_digest(header), self.csrf_hash)


def start(session: Session, agent: Agent, now: datetime | None = None) -> NewSession:
    """Open a session for `agent`."""
    now = now or utcnow()
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.add(
        AgentSession(
            agent_id=agent.id,
            token_hash=_digest(token),
            csrf_hash=_digest(csrf),
            created_at=now,
            last_seen_at=now,
        )
    )
    session.flush()
    return NewSession(token, csrf)


def resume(
    session: Session, token: str | None, idle: timedelta, now: datetime | None = None
) -> OpenSession | None:
    """The session of this cookie value if it is still valid; it is touched."""
    if not token:
        return None
    now = now or utcnow()
    row = session.execute(
        select(AgentSession, Agent)
        .join(Agent, AgentSession.agent_id == Agent.id)
        .where(AgentSession.token_hash == _digest(token))
    ).first()
    if row is None:
        return None
    record, agent = row
    if record.last_seen_at + idle < now or not agent.active:
        session.delete(record)
        return None
    record.last_seen_at = now
    return OpenSession(agent, record.csrf_hash)


def end(session: Session, token: str | None) -> None:
    """Log out: forget the session of this cookie value."""
    if token:
        session.execute(
            delete(AgentSession).where(AgentSession.token_hash == _digest(token))
        )
