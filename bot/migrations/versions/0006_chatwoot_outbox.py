"""The outbox also carries Chatwoot operations (channel "chatwoot").

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

Only the CHECK constraint on `outbox_messages.channel` changes. SQLite cannot alter a
constraint, so the table is copied ("batch" mode) from the definition below, which
is 0001's: written out, the revision also renders as offline SQL (`--sql`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

CONSTRAINT = "ck_outbox_messages_channel"
BEFORE = ("sms", "email")
AFTER = ("sms", "email", "chatwoot")


def _channel_in(values: tuple[str, ...]) -> str:
    listed = ", ".join(f"'{value}'" for value in values)
    return f"channel IN ({listed})"


def _outbox_table(channels: tuple[str, ...]) -> sa.Table:
    """outbox_messages as it stands with `channels` allowed (see 0001)."""
    return sa.Table(
        "outbox_messages",
        sa.MetaData(),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("to", sa.String(length=254), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("idempotency_key", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
        sa.UniqueConstraint(
            "idempotency_key", name=op.f("uq_outbox_messages_idempotency_key")
        ),
        sa.CheckConstraint(_channel_in(channels), name=op.f(CONSTRAINT)),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'failed')",
            name=op.f("ck_outbox_messages_message_status"),
        ),
        sa.Index("ix_outbox_messages_due", "status", "next_attempt_at"),
    )


def _allow(before: tuple[str, ...], after: tuple[str, ...]) -> None:
    with op.batch_alter_table(
        "outbox_messages", copy_from=_outbox_table(before)
    ) as batch:
        batch.drop_constraint(op.f(CONSTRAINT), type_="check")
        batch.create_check_constraint(op.f(CONSTRAINT), _channel_in(after))


def upgrade() -> None:
    _allow(BEFORE, AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM outbox_messages WHERE channel = 'chatwoot'")
    _allow(AFTER, BEFORE)
