"""Alembic environment: the URL comes from `bot.db.migrate` or from the settings."""

from __future__ import annotations

from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from bot.config import get_settings
from bot.db import ensure_sqlite_folder
from bot.models import Base, UTCDateTime

config = context.config
if config.config_file_name is not None:  # run through the `alembic` command
    fileConfig(config.config_file_name)
target_metadata = Base.metadata


def _database_url() -> str:
    """Return the URL given by `bot.db.migrate`, else the settings' (DATABASE_URL)."""
    return config.attributes.get("url") or get_settings().database_url


def _render_item(kind: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render our UTC timestamp type as a plain one in generated revisions."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _options(url: str) -> dict[str, Any]:
    return {
        "target_metadata": target_metadata,
        "render_as_batch": make_url(url).get_backend_name() == "sqlite",
        "compare_type": True,
        "render_item": _render_item,
    }


def run_migrations_offline() -> None:
    """Write the SQL to standard output instead of running it."""
    url = _database_url()
    context.configure(
        url=url,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        **_options(url),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on the given connection, or on a fresh one."""
    url = _database_url()
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, **_options(url))
        with context.begin_transaction():
            context.run_migrations()
        return
    if make_url(url).get_backend_name() == "sqlite":
        ensure_sqlite_folder(url)
    engine = create_engine(url, future=True, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, **_options(url))
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
