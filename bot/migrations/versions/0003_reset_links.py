"""Single-use password reset links for the customer area (Espace Client).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

Written by hand from bot/models.py (ResetLink); tests/bot/test_migrations.py checks
that they agree. Timestamps are TIMESTAMP WITH TIME ZONE, as in 0001.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _timestamp() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "reset_links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("subject_kind", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", _timestamp(), nullable=False),
        sa.Column("expires_at", _timestamp(), nullable=False),
        sa.Column("used_at", _timestamp(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reset_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_reset_links_token_hash")),
        sa.CheckConstraint(
            "subject_kind IN ('holder', 'user')",
            name=op.f("ck_reset_links_subject_kind"),
        ),
    )
    op.create_index(
        "ix_reset_links_subject",
        "reset_links",
        ["subject_kind", "subject_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_reset_links_subject", table_name="reset_links")
    op.drop_table("reset_links")
