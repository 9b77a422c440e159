"""Shared fixtures: every test gets its own SQLite database file."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from bot.config import get_settings
from bot.db import dispose_engines, make_engine, migrate


@pytest.fixture(autouse=True)
def database_url(tmp_path, monkeypatch) -> Iterator[str]:
    """Point DATABASE_URL at a fresh file under tmp_path (never var/bot.db)."""
    url = f"sqlite:///{tmp_path / 'var' / 'test.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    dispose_engines()
    get_settings.cache_clear()


@pytest.fixture
def migrated_url(database_url: str) -> str:
    """The test's database URL, with the schema created by the migrations."""
    migrate(database_url)
    return database_url


@pytest.fixture
def db_session(migrated_url: str) -> Iterator[Session]:
    """A session on the migrated test database; commit explicitly when needed."""
    session = Session(make_engine(migrated_url), future=True)
    try:
        yield session
    finally:
        session.rollback()
        session.close()
