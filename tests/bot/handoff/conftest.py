"""Handoff tests: no network but 127.0.0.1, and cheap password hashes on request."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from bot.handoff import agents
from tests.bot.messaging.conftest import closed_port_url, no_network

__all__ = ["closed_port_url", "fast_argon2", "no_network"]


@pytest.fixture
def fast_argon2(monkeypatch: pytest.MonkeyPatch) -> PasswordHasher:
    """Argon2id with tiny costs, for tests about something else than hashing."""
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(agents, "_hasher", hasher)
    return hasher
