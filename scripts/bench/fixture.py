"""The bench's own lines: one demo-shaped customer per line, so that every simulated
conversation changes a porting nobody else touches (and no number gets more than the
3 codes an hour that bot/verification.py allows).

Numbers 079xxxxxxx, customers C9xxxxxx and orders CMD-2026-9xxxxx belong to the bench:
`reset` puts their portings back to the fixture's date and forgets their codes and
SMS, so that a run against an already-running stack starts from the same state.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete

from bot.config import DEFAULT_FIXTURE, Settings
from bot.db import migrate, session_scope
from bot.models import OutboxMessage, VerificationCode
from bot.rio import rio_key
from bot.seed import load_fixture, seed

FIRST_NUMBER = 790_000_000  # 0790000000, 0790000001, ...
SUBSCRIBED = -10  # days from today
SCHEDULED = 12  # 2026-12-13 from 2026-12-01, a Sunday: seeded on Monday 14 December


def msisdn(index: int) -> str:
    """The bench's line number `index` (0790000000 + index)."""
    return f"0{FIRST_NUMBER + index:09d}"


def bench_customers(count: int) -> list[dict[str, Any]]:
    """`count` customers in the fixture format of fixtures/demo.yml, one line each."""
    customers = []
    for index in range(count):
        number = msisdn(index)
        prefix = f"02P{index:06d}"
        customers.append(
            {
                "id": f"C9{index:06d}",
                "first_name": "Client",
                "last_name": f"Bench{index}",
                "email": f"bench.{index}@example.invalid",
                "password_set": True,
                "lines": [{"msisdn": number, "activated": False, "user": None}],
                "orders": [
                    {
                        "id": f"CMD-2026-{900000 + index}",
                        "msisdn": number,
                        "subscribed": SUBSCRIBED,
                        "status": "shipped",
                        "documents_missing": [],
                        "porting": {
                            "rio": prefix + rio_key(prefix, number),
                            "scheduled": SCHEDULED,
                            "slot": "morning",
                            "status": "scheduled",
                        },
                    }
                ],
            }
        )
    return customers


def write_fixture(path: Path, count: int) -> Path:
    """Write the bench fixture with `count` lines to `path`."""
    path.write_text(
        yaml.safe_dump({"customers": bench_customers(count)}, allow_unicode=True),
        encoding="utf-8",
    )
    return path


def prepare(
    settings: Settings, day: date, fixture: Path, *, with_demo: bool
) -> list[str]:
    """Migrate, seed (the demo data too if asked), reset bench lines; their numbers."""
    migrate(settings.database_url)
    files = [DEFAULT_FIXTURE, fixture] if with_demo else [fixture]
    data = [load_fixture(path) for path in files]  # validated, as `bot seed` does
    with session_scope(settings) as session:
        for loaded in data:
            seed(session, loaded, day)
    numbers = [line.msisdn for c in data[-1].customers for line in c.lines]
    reset(settings, numbers)
    return numbers


def reset(settings: Settings, numbers: list[str]) -> None:
    """Forget the codes and SMS of the bench lines (the seed reset their portings)."""
    with session_scope(settings) as session:
        for table in (VerificationCode, OutboxMessage):
            column = table.msisdn if table is VerificationCode else table.to
            session.execute(delete(table).where(column.in_(numbers)))
