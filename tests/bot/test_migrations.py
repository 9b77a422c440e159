"""The Alembic revision builds exactly the models' schema, from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, inspect
from sqlalchemy.orm import Session

from bot import db
from bot.config import PROJECT_ROOT, Settings
from bot.db import downgrade, make_engine, migrate
from bot.models import Base, UTCDateTime
from bot.verification_lifetime import is_verified

TABLES = {
    "holders",
    "lines",
    "declared_users",
    "orders",
    "portings",
    "outbox_messages",
    "audit_events",
    "verification_codes",
    "reset_links",
    "channel_messages",
    "agents",
    "agent_sessions",
    "tickets",
    "ticket_messages",
}


def differences(url: str, metadata: MetaData) -> list:
    """What autogenerate would change to bring the database at `url` to `metadata`."""
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True}
            )
            return compare_metadata(context, metadata)
    finally:
        engine.dispose()


def test_the_migration_creates_exactly_the_models_schema(migrated_url):
    assert differences(migrated_url, Base.metadata) == []


def test_the_comparison_does_see_a_difference(migrated_url):
    metadata = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    Table("extra", metadata, Column("id", Integer, primary_key=True))
    metadata.tables["holders"].append_column(Column("nickname", Integer))
    metadata.tables["lines"].c.msisdn.type = String(12)
    found = differences(migrated_url, metadata)
    kinds = {diff[0][0] if isinstance(diff, list) else diff[0] for diff in found}
    assert kinds == {"add_table", "add_column", "modify_type"}


def test_migrating_twice_changes_nothing(migrated_url):
    migrate(migrated_url)
    assert differences(migrated_url, Base.metadata) == []


def test_the_migration_can_be_undone(migrated_url):
    downgrade(migrated_url)
    engine = create_engine(migrated_url, future=True)
    try:
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    finally:
        engine.dispose()


def test_the_folder_of_a_new_sqlite_file_is_created(tmp_path):
    url = f"sqlite:///{tmp_path / 'a' / 'b' / 'bot.db'}"
    migrate(url)
    assert (tmp_path / "a" / "b" / "bot.db").is_file()


def run(args: list[str], cwd, database_url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        args,
        cwd=cwd,
        env=os.environ
        | {"DATABASE_URL": database_url, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_migrate_command_works_from_another_directory(tmp_path, database_url):
    result = run([sys.executable, "-m", "bot", "migrate"], tmp_path, database_url)
    assert result.returncode == 0, result.stderr
    assert differences(database_url, Base.metadata) == []


def test_the_alembic_command_reads_alembic_ini_and_database_url(tmp_path, database_url):
    alembic = [sys.executable, "-m", "alembic", "-c", str(PROJECT_ROOT / "alembic.ini")]
    result = run([*alembic, "upgrade", "head"], tmp_path, database_url)
    assert result.returncode == 0, result.stderr
    assert differences(database_url, Base.metadata) == []
    result = run([*alembic, "current"], tmp_path, database_url)
    head = ScriptDirectory.from_config(db.alembic_config()).get_current_head()
    assert f"{head} (head)" in result.stdout


def test_the_offline_sql_names_every_table(tmp_path, database_url):
    alembic = [sys.executable, "-m", "alembic", "-c", str(PROJECT_ROOT / "alembic.ini")]
    result = run([*alembic, "upgrade", "head", "--sql"], tmp_path, database_url)
    assert result.returncode == 0, result.stderr
    for table in TABLES:
        assert f"CREATE TABLE {table}" in result.stdout


def test_importing_the_package_creates_and_prints_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'never' / 'bot.db'}"
    modules = "bot.models, bot.db, bot.seed, bot.outbox, bot.audit, bot.cli, bot.rio"
    result = run([sys.executable, "-c", f"import {modules}"], tmp_path, url)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "never").exists()


def test_an_engine_is_reused_for_the_same_url(database_url):
    assert make_engine(database_url) is make_engine(database_url)


def test_ensure_schema_migrates_once_per_process(database_url, monkeypatch):
    calls = []
    monkeypatch.setattr(db, "migrate", lambda url: calls.append(url) or migrate(url))
    db.ensure_schema()
    db.ensure_schema(Settings(database_url=database_url))
    assert calls == [database_url]
    assert differences(database_url, Base.metadata) == []


def test_a_code_verified_before_0007_keeps_its_row_both_ways(migrated_url):
    """0007 adds verification_codes.last_used_at: a code consumed before it counts
    from its consumed_at; going back to 0006 keeps the rows and the index."""
    downgrade(migrated_url, "0006")
    engine = create_engine(migrated_url, future=True)
    consumed = datetime(2026, 5, 20, 8, 0, tzinfo=timezone.utc)
    try:
        assert "last_used_at" not in _columns(engine, "verification_codes")
        with engine.begin() as connection:
            connection.execute(
                sa.insert(_codes_at_0006()).values(
                    msisdn="0612345678",
                    conversation_id="c",
                    code_hash="h" * 64,
                    created_at=consumed,
                    expires_at=consumed,
                    attempts=1,
                    consumed_at=consumed,
                )
            )
        migrate(migrated_url)
        with Session(engine, future=True) as session:
            for minutes, expected in ((15.02, False), (14, True)):
                now = consumed + timedelta(minutes=minutes)
                assert is_verified(
                    session, msisdn="0612345678", conversation_id="c", now=now
                ) is expected, minutes
            session.commit()
        downgrade(migrated_url, "0006")
        assert "last_used_at" not in _columns(engine, "verification_codes")
        indexes = inspect(engine).get_indexes("verification_codes")
        assert [index["name"] for index in indexes] == [
            "ix_verification_codes_msisdn"
        ]
        with engine.connect() as connection:
            count = connection.execute(
                sa.text("SELECT count(*) FROM verification_codes")
            ).scalar_one()
        assert count == 1
    finally:
        engine.dispose()


def _codes_at_0006() -> sa.TableClause:
    """The columns of verification_codes a row needs at 0006 (no last_used_at)."""
    return sa.table(
        "verification_codes",
        *(sa.column(name) for name in ("msisdn", "conversation_id", "code_hash")),
        sa.column("attempts"),
        *(
            sa.column(name, UTCDateTime)
            for name in ("created_at", "expires_at", "consumed_at")
        ),
    )


def _columns(engine, table: str) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns(table)}
