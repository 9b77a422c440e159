"""A verification lapses without use: `verification_codes.last_used_at`.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-15

Nullable, no default: a code consumed before this revision counts from its
`consumed_at`. SQLite drops a column by copying the table ("batch" mode), from the
definition below (0002's and this column): written out, the revision also renders
as offline SQL (`--sql`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLE = "verification_codes"
COLUMN = "last_used_at"


def _timestamp() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _codes_table() -> sa.Table:
    """verification_codes as it stands after this revision (see 0002)."""
    return sa.Table(
        TABLE,
        sa.MetaData(),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("msisdn", sa.String(length=10), nullable=False),
        sa.Column("conversation_id", sa.String(length=200), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", _timestamp(), nullable=False),
        sa.Column("expires_at", _timestamp(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("consumed_at", _timestamp(), nullable=True),
        sa.Column(COLUMN, _timestamp(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_codes")),
        sa.Index(op.f("ix_verification_codes_msisdn"), "msisdn"),
    )


def upgrade() -> None:
    op.add_column(TABLE, sa.Column(COLUMN, _timestamp(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table(TABLE, copy_from=_codes_table()) as batch:
        batch.drop_column(COLUMN)
