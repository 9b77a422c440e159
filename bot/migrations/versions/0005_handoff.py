"""Support agents, console sessions, tickets and their messages (the handoff).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

Written by hand from bot/tables/handoff.py; tests/bot/test_migrations.py checks that
they agree. Timestamps are TIMESTAMP WITH TIME ZONE, as in 0001.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _timestamp() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "agents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", _timestamp(), nullable=True),
        sa.Column("created_at", _timestamp(), nullable=False),
        sa.CheckConstraint(
            "role IN ('agent', 'supervisor')", name=op.f("ck_agents_role")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agents")),
        sa.UniqueConstraint("email", name=op.f("uq_agents_email")),
    )
    op.create_table(
        "agent_sessions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("csrf_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", _timestamp(), nullable=False),
        sa.Column("last_seen_at", _timestamp(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["agents.id"],
            name=op.f("fk_agent_sessions_agent_id_agents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_agent_sessions_token_hash")),
    )
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conversation_id", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=50), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=50), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", _timestamp(), nullable=False),
        sa.Column("claimed_at", _timestamp(), nullable=True),
        sa.Column("closed_at", _timestamp(), nullable=True),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=200), nullable=True),
        sa.Column("verified_msisdn", sa.String(length=10), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("callback_number", sa.String(length=10), nullable=True),
        sa.Column("callback_from", _timestamp(), nullable=True),
        sa.Column("callback_until", _timestamp(), nullable=True),
        sa.Column("callback_offered_at", _timestamp(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('chat', 'callback')", name=op.f("ck_tickets_kind")
        ),
        sa.CheckConstraint(
            "state IN ('waiting', 'claimed', 'closed')", name=op.f("ck_tickets_state")
        ),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agents.id"], name=op.f("fk_tickets_agent_id_agents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tickets")),
    )
    op.create_index(
        "ix_tickets_state_created", "tickets", ["state", "created_at"], unique=False
    )
    op.create_index(
        "ix_tickets_conversation", "tickets", ["conversation_id", "state"], unique=False
    )
    op.create_table(
        "ticket_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=16), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", _timestamp(), nullable=False),
        sa.Column("delivered", sa.Boolean(), nullable=True),
        sa.CheckConstraint(
            "author IN ('customer', 'assistant', 'agent', 'note')",
            name=op.f("ck_ticket_messages_author"),
        ),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agents.id"], name=op.f("fk_ticket_messages_agent_id_agents")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_ticket_messages_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_messages")),
    )
    op.create_index(
        op.f("ix_ticket_messages_ticket_id"),
        "ticket_messages",
        ["ticket_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_ticket_messages_ticket_id"), table_name="ticket_messages")
    op.drop_table("ticket_messages")
    op.drop_index("ix_tickets_conversation", table_name="tickets")
    op.drop_index("ix_tickets_state_created", table_name="tickets")
    op.drop_table("tickets")
    op.drop_table("agent_sessions")
    op.drop_table("agents")
