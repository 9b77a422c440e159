"""`make chaos`: faults injected into `make prod-local`, one scenario per test.

Each scenario records what was injected, what the customer saw and what was lost;
the table is printed at the end of the run.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.prod.conftest import ProdLocal, run_prod_local

# Short, so that a slow action server is given up on quickly in the tests.
ACTION_TIMEOUT = 4
REPORT: list[tuple[str, str, str, str]] = []


def record(scenario: str, injected: str, customer_saw: str, lost: str) -> None:
    """Add one line to the printed report."""
    REPORT.append((scenario, injected, customer_saw, lost))


@pytest.fixture(scope="session")
def stack() -> Iterator[ProdLocal]:
    """prod-local for the fault scenarios."""
    yield from run_prod_local({"ACTION_TIMEOUT_SECONDS": str(ACTION_TIMEOUT)})


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
