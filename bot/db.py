"""Database access: engines per URL, short-lived sessions, Alembic migrations."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, false, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from bot.config import Settings, get_settings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

_engines: dict[str, Engine] = {}
_migrated: set[str] = set()
_migrate_lock = threading.Lock()


def _is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def ensure_sqlite_folder(url: str) -> None:
    """Create the parent folder of an SQLite database file if it is missing."""
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_on_connect(dbapi_connection: Any, connection_record: Any) -> None:
    # Let SQLAlchemy, not pysqlite, emit BEGIN (so SAVEPOINTs work), and enforce
    # foreign keys: SQLite ignores them unless asked, on every connection.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_on_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def lock_for_write(session: Session) -> None:
    """On SQLite, take the database write lock before reading what will be written.

    SQLite ignores FOR UPDATE, and a transaction that read first and writes second
    fails at once with "database is locked" when another process's writer got in
    between (no busy wait on a lock upgrade). A write that changes nothing takes the
    lock at once (other writers wait for it), so what follows reads and writes
    inside one write transaction. Other databases lock rows as usual.
    """
    if session.get_bind().dialect.name == "sqlite":
        from bot.models import OutboxMessage  # bot.models builds on nothing here

        table = OutboxMessage.__table__
        session.execute(update(table).where(false()).values(id=table.c.id))


def make_engine(url: str) -> Engine:
    """Return the engine for `url`, created on first use and then reused."""
    engine = _engines.get(url)
    if engine is None:
        # pool_pre_ping: after a database restart or a cut connection, a pooled
        # connection is checked and replaced, instead of failing one request.
        engine = create_engine(url, future=True, pool_pre_ping=True)
        if _is_sqlite(url):
            ensure_sqlite_folder(url)
            event.listen(engine, "connect", _sqlite_on_connect)
            event.listen(engine, "begin", _sqlite_on_begin)
        _engines[url] = engine
    return engine


def dispose_engines() -> None:
    """Close every cached engine's connections and forget engines and migrations."""
    _migrated.clear()
    while _engines:
        _, engine = _engines.popitem()
        engine.dispose()


@contextmanager
def session_scope(settings: Settings | None = None) -> Iterator[Session]:
    """Yield a session that commits on success, rolls back on error, then closes.

    Objects stay readable after the block (`expire_on_commit=False`).
    """
    engine = make_engine((settings or get_settings()).database_url)
    session = Session(engine, future=True, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(url: str | None = None) -> Config:
    """Return an Alembic Config for bot/migrations, independent of the cwd."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        config.attributes["url"] = url
    return config


def _run_alembic(url: str | None, command_name: str, revision: str) -> None:
    url = url or get_settings().database_url
    if _is_sqlite(url):
        ensure_sqlite_folder(url)
    # A dedicated engine, without the foreign-key pragma: SQLite "batch" migrations
    # copy and drop tables, which enforced foreign keys would refuse or cascade.
    engine = create_engine(url, future=True, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            getattr(command, command_name)(config, revision)
    finally:
        engine.dispose()


def migrate(url: str | None = None, revision: str = "head") -> None:
    """Bring the database at `url` (default: the settings' URL) up to `revision`."""
    _run_alembic(url, "upgrade", revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    """Take the database at `url` back down to `revision` (default: empty)."""
    _run_alembic(url, "downgrade", revision)


def ensure_schema(settings: Settings | None = None) -> None:
    """Migrate the settings' database once per process; later calls cost nothing."""
    url = (settings or get_settings()).database_url
    with _migrate_lock:
        if url not in _migrated:
            migrate(url)
            _migrated.add(url)


def set_once(session: Session, row: Any, column: str, value: Any) -> bool:
    """Set `row.<column>` only if it is still NULL, atomically; False if already set.

    Two requests racing to use the same code or link: exactly one of them wins.
    """
    model = type(row)
    statement = (
        update(model)
        .where(model.id == row.id, getattr(model, column).is_(None))
        .values({column: value})
        .execution_options(synchronize_session=False)
    )
    won = session.execute(statement).rowcount == 1
    session.refresh(row)
    return won
