"""Channel tests: no network but 127.0.0.1 (the messaging tests' guard)."""

from __future__ import annotations

from tests.bot.messaging.conftest import closed_port_url, fake_twilio, no_network

__all__ = ["closed_port_url", "fake_twilio", "no_network"]
