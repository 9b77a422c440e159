"""Messages received on messaging channels: replay protection and numbered choices.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29

Written by hand from bot/models.py (ChannelMessage); tests/bot/test_migrations.py
checks that they agree. Timestamps are TIMESTAMP WITH TIME ZONE, as in 0001.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _timestamp() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "channel_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("sender_key", sa.String(length=64), nullable=False),
        sa.Column("received_at", _timestamp(), nullable=False),
        sa.Column("answered_at", _timestamp(), nullable=True),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_messages")),
        sa.UniqueConstraint(
            "channel",
            "message_id",
            name=op.f("uq_channel_messages_channel_message_id"),
        ),
    )
    op.create_index(
        "ix_channel_messages_sender",
        "channel_messages",
        ["channel", "sender_key"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_channel_messages_sender", table_name="channel_messages")
    op.drop_table("channel_messages")
