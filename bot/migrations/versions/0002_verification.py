"""One-time SMS codes that verify a conversation holds a phone number.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27

Written by hand from bot/models.py (VerificationCode); tests/bot/test_migrations.py
checks that they agree. Timestamps are TIMESTAMP WITH TIME ZONE, as in 0001.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _timestamp() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "verification_codes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("msisdn", sa.String(length=10), nullable=False),
        sa.Column("conversation_id", sa.String(length=200), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", _timestamp(), nullable=False),
        sa.Column("expires_at", _timestamp(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("consumed_at", _timestamp(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_codes")),
    )
    op.create_index(
        op.f("ix_verification_codes_msisdn"),
        "verification_codes",
        ["msisdn"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_verification_codes_msisdn"), table_name="verification_codes")
    op.drop_table("verification_codes")
