"""`make chaos`: faults injected into `make prod-local`, one scenario per test.

Each scenario records what was injected, what the customer saw and what was lost;
the table is printed at the end of the run.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.chaos.gateway import TOKEN, FakeGateway
from tests.prod.conftest import ProdLocal, run_prod_local

# Short, so that a slow action server is given up on quickly in the tests.
ACTION_TIMEOUT = 4
# A message being sent stays leased this long to a dispatcher (then resent).
CLAIM_LEASE = 15
REPORT: list[tuple[str, str, str, str]] = []


def record(scenario: str, injected: str, customer_saw: str, lost: str) -> None:
    """Add one line to the printed report."""
    REPORT.append((scenario, injected, customer_saw, lost))


@pytest.fixture(scope="session")
def gateway() -> Iterator[FakeGateway]:
    """The SMS gateway the stack sends through (SMS_PROVIDER=http)."""
    fake = FakeGateway()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def stack(gateway: FakeGateway) -> Iterator[ProdLocal]:
    """prod-local for the fault scenarios: short timeouts, retries and leases."""
    yield from run_prod_local(
        {
            "ACTION_TIMEOUT_SECONDS": str(ACTION_TIMEOUT),
            "SMS_PROVIDER": "http",
            "SMS_HTTP_URL": gateway.url,
            "SMS_HTTP_TOKEN": TOKEN,
            "OUTBOX_FIRST_RETRY_SECONDS": "1",
            "OUTBOX_MAX_ATTEMPTS": "40",
            "OUTBOX_CLAIM_LEASE_SECONDS": str(CLAIM_LEASE),
        }
    )


def pytest_terminal_summary(terminalreporter) -> None:
    """Print the scenarios' report."""
    if not REPORT:
        return
    terminalreporter.section("faults injected")
    for scenario, injected, saw, lost in REPORT:
        terminalreporter.write_line(f"- {scenario}")
        terminalreporter.write_line(f"    injected:     {injected}")
        terminalreporter.write_line(f"    customer saw: {saw}")
        terminalreporter.write_line(f"    lost:         {lost}")
