"""Prometheus metrics of the action server and the outbox dispatcher.

Counters and histograms live in the process that counts them (actions run, their
latency, send attempts by provider). The outbox depth and the advisors' queue are read
from the database when `/metrics` is scraped, so every process reports the same
figures and a restart loses none of them.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings
from bot.db import session_scope
from bot.handoff.queue import recent_waits
from bot.models import MessageStatus, OutboxMessage, Ticket

ACTIONS = Counter(
    "assistant_actions_total",
    "Custom actions run, by action and outcome (ok, error, unauthorized)",
    ["action", "outcome"],
)
ACTION_SECONDS = Histogram(
    "assistant_action_seconds",
    "Time to run a custom action, in seconds",
    ["action"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
CREDENTIALS_REFUSED = Counter(
    "assistant_provider_credentials_refused_total",
    "Sends a provider refused for our credentials (HTTP 401/403): an alert, by channel",
    ["channel"],
)
SENDS = Counter(
    "assistant_outbox_sends_total",
    "Outbox send attempts, by channel, provider and outcome (sent, retried, failed)",
    ["channel", "provider", "outcome"],
)


def provider_name(sender: object) -> str:
    """`console`, `twilio`, `http`, `smtp`…: a sender's class without "Sender"."""
    name = type(sender).__name__
    return (name[: -len("Sender")] if name.endswith("Sender") else name).lower()


class DatabaseFigures(Collector):
    """The outbox depth and the advisors' queue, read at each scrape."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def collect(self) -> Iterator[Metric]:
        """Yield the gauges; `assistant_database_up` 0 when the database fails."""
        try:
            with session_scope(self.settings) as session:
                depth = session.execute(
                    select(func.count(OutboxMessage.id)).where(
                        OutboxMessage.status == MessageStatus.PENDING
                    )
                ).scalar_one()
                waiting = session.execute(
                    select(func.count(Ticket.id)).where(
                        Ticket.state == "waiting", Ticket.kind == "chat"
                    )
                ).scalar_one()
                waits = [wait.total_seconds() for wait in recent_waits(session)]
        except SQLAlchemyError:
            yield GaugeMetricFamily(
                "assistant_database_up", "1 when the database answered", value=0
            )
            return
        yield GaugeMetricFamily(
            "assistant_database_up", "1 when the database answered", value=1
        )
        yield GaugeMetricFamily(
            "assistant_outbox_depth", "Outbox messages waiting to be sent", value=depth
        )
        yield GaugeMetricFamily(
            "assistant_handoff_queue_length",
            "Chat tickets waiting for an advisor",
            value=waiting,
        )
        yield GaugeMetricFamily(
            "assistant_handoff_wait_seconds",
            "Median wait of the chat tickets claimed in the last 7 days",
            value=statistics.median(waits) if waits else 0.0,
        )


def register_database_figures(
    settings: Settings, registry: CollectorRegistry = REGISTRY
) -> None:
    """Add the database gauges to `registry` (once per process)."""
    registry.register(DatabaseFigures(settings))
