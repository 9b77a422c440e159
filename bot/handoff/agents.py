"""Support agents' accounts: Argon2id passwords, lockout after 5 failed logins.

A wrong e-mail and a wrong password get the same refusal. Five failures in a row
lock the account for 15 minutes; a disabled account cannot log in.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import audit
from bot.models import Agent, utcnow

ROLES = ("agent", "supervisor")
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
DEMO_EMAIL = "conseiller@demo.invalid"
_hasher = PasswordHasher()  # Argon2id, the library's RFC 9106 low-memory profile


class AccountError(ValueError):
    """An account cannot be created or changed as asked."""


@dataclass(frozen=True)
class Login:
    """A login attempt's result: the agent, or why not (bad_credentials, locked,
    disabled) and until when a locked account stays locked."""

    agent: Agent | None
    refusal: str | None = None
    locked_until: datetime | None = None


@dataclass(frozen=True)
class AgentView:
    """What the console shows of an agent."""

    id: int
    email: str
    name: str
    role: str
    active: bool

    def to_dict(self) -> dict[str, object]:
        """The agent as the JSON API returns it."""
        return {
            "id": self.id,
            "email": self.email,
            "name": self.name,
            "role": self.role,
            "active": self.active,
        }


def view(agent: Agent) -> AgentView:
    """Return the console's view of an agent."""
    return AgentView(agent.id, agent.email, agent.name, agent.role, agent.active)


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    if not EMAIL_RE.fullmatch(email):
        raise AccountError(f"{email!r} is not an e-mail address")
    return email


def check_password(password: str) -> str:
    """Return the password if it is long enough, else raise AccountError."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError(
            f"the password needs at least {MIN_PASSWORD_LENGTH} characters"
        )
    return password


def find_by_email(session: Session, email: str) -> Agent | None:
    """Return the agent with this e-mail (any case), or None."""
    statement = select(Agent).where(Agent.email == (email or "").strip().lower())
    return session.execute(statement).scalar_one_or_none()


def add(
    session: Session, *, email: str, name: str, password: str, role: str = "agent"
) -> Agent:
    """Create an agent; AccountError if the e-mail is taken or a value is bad."""
    email = _clean_email(email)
    name = " ".join((name or "").split())
    if not name:
        raise AccountError("the agent needs a name (--name)")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if find_by_email(session, email) is not None:
        raise AccountError(f"an agent with the e-mail {email} already exists")
    agent = Agent(
        email=email,
        name=name[:100],
        role=role,
        password_hash=_hasher.hash(check_password(password)),
        active=True,
        failed_logins=0,
        created_at=utcnow(),
    )
    session.add(agent)
    session.flush()
    audit.record(
        session,
        actor="cli",
        action="agent_added",
        subject=f"agent:{email}",
        channel="cli",
        details={"role": role},
    )
    return agent


def set_active(session: Session, email: str, active: bool) -> Agent:
    """Disable (or enable) an account; AccountError if there is none."""
    agent = find_by_email(session, email)
    if agent is None:
        raise AccountError(f"no agent has the e-mail {email!r}")
    agent.active = active
    audit.record(
        session,
        actor="cli",
        action="agent_enabled" if active else "agent_disabled",
        subject=f"agent:{agent.email}",
        channel="cli",
    )
    return agent


def listing(session: Session) -> list[Agent]:
    """Every agent, by e-mail."""
    return list(session.execute(select(Agent).order_by(Agent.email)).scalars())


def authenticate(
    session: Session, email: str, password: str, now: datetime | None = None
) -> Login:
    """Check a login; a failure is counted in the caller's transaction.

    The caller commits either way, so that failures add up to the lockout.
    """
    now = now or utcnow()
    agent = find_by_email(session, email)
    if agent is None:
        _hasher.hash(password or "-")  # the same work as a real check
        return Login(None, "bad_credentials")
    if agent.locked_until is not None and agent.locked_until > now:
        return Login(None, "locked", agent.locked_until)
    try:
        _hasher.verify(agent.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        agent.failed_logins += 1
        if agent.failed_logins >= MAX_FAILURES:
            agent.failed_logins = 0
            agent.locked_until = now + LOCKOUT
            _login_audit(session, agent, "agent_locked")
            return Login(None, "locked", agent.locked_until)
        _login_audit(session, agent, "agent_login_failed")
        return Login(None, "bad_credentials")
    if not agent.active:
        return Login(None, "disabled")
    agent.failed_logins = 0
    agent.locked_until = None
    if _hasher.check_needs_rehash(agent.password_hash):
        agent.password_hash = _hasher.hash(password)
    _login_audit(session, agent, "agent_logged_in")
    return Login(agent)


def _login_audit(session: Session, agent: Agent, action: str) -> None:
    audit.record(
        session,
        actor=f"agent:{agent.email}",
        action=action,
        subject=f"agent:{agent.email}",
        channel="console",
    )


def ensure_demo_agent(session: Session) -> tuple[str, str]:
    """Create or reset the demo agent with a new random password: (email, password).

    Only `make run` (the demo start) calls this; production never has a demo agent.
    """
    password = secrets.token_urlsafe(12)
    agent = find_by_email(session, DEMO_EMAIL)
    if agent is None:
        add(
            session,
            email=DEMO_EMAIL,
            name="Camille (démo)",
            password=password,
            role="supervisor",
        )
    else:
        agent.password_hash = _hasher.hash(password)
        agent.active = True
        agent.failed_logins = 0
        agent.locked_until = None
    return DEMO_EMAIL, password
