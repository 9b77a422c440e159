"""Initial schema: holders, lines, declared users, orders, portings, outbox, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-26

Written by hand from bot/models.py; tests/bot/test_migrations.py checks that they agree.
Enumerations are VARCHAR(32) with a CHECK constraint (no native ENUM type), and
timestamps are TIMESTAMP WITH TIME ZONE, so the same revision runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ORDER_STATUSES = (
    "received",
    "awaiting_documents",
    "documents_under_review",
    "validated",
    "shipped",
    "delivered",
    "completed",
    "cancelled",
)


def _one_of(column: str, values: tuple[str, ...], name: str) -> sa.CheckConstraint:
    listed = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=op.f(name))


def _timestamp() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "holders",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_set", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holders")),
        sa.UniqueConstraint("email", name=op.f("uq_holders_email")),
    )
    op.create_table(
        "lines",
        sa.Column("msisdn", sa.String(length=10), nullable=False),
        sa.Column("holder_id", sa.String(length=16), nullable=False),
        sa.Column("activated", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["holder_id"], ["holders.id"], name=op.f("fk_lines_holder_id_holders")
        ),
        sa.PrimaryKeyConstraint("msisdn", name=op.f("pk_lines")),
    )
    op.create_index(op.f("ix_lines_holder_id"), "lines", ["holder_id"], unique=False)
    op.create_table(
        "declared_users",
        sa.Column("msisdn", sa.String(length=10), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("password_set", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["msisdn"], ["lines.msisdn"], name=op.f("fk_declared_users_msisdn_lines")
        ),
        sa.PrimaryKeyConstraint("msisdn", name=op.f("pk_declared_users")),
    )
    op.create_table(
        "orders",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("holder_id", sa.String(length=16), nullable=False),
        sa.Column("msisdn", sa.String(length=10), nullable=False),
        sa.Column("subscribed_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("documents_missing", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["holder_id"], ["holders.id"], name=op.f("fk_orders_holder_id_holders")
        ),
        sa.ForeignKeyConstraint(
            ["msisdn"], ["lines.msisdn"], name=op.f("fk_orders_msisdn_lines")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
        _one_of("status", ORDER_STATUSES, "ck_orders_order_status"),
    )
    op.create_index(op.f("ix_orders_holder_id"), "orders", ["holder_id"], unique=False)
    op.create_index(op.f("ix_orders_msisdn"), "orders", ["msisdn"], unique=False)
    op.create_table(
        "portings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("msisdn", sa.String(length=10), nullable=False),
        sa.Column("rio", sa.String(length=12), nullable=False),
        sa.Column("scheduled_on", sa.Date(), nullable=False),
        sa.Column("slot", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("updated_at", _timestamp(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_portings_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portings")),
        sa.UniqueConstraint("order_id", name=op.f("uq_portings_order_id")),
        _one_of("slot", ("morning", "afternoon"), "ck_portings_porting_slot"),
        _one_of(
            "status",
            ("scheduled", "cancelled", "completed"),
            "ck_portings_porting_status",
        ),
    )
    op.create_index(op.f("ix_portings_msisdn"), "portings", ["msisdn"], unique=False)
    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("to", sa.String(length=254), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", _timestamp(), nullable=False),
        sa.Column("sent_at", _timestamp(), nullable=True),
        sa.Column("next_attempt_at", _timestamp(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("idempotency_key", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
        sa.UniqueConstraint(
            "idempotency_key", name=op.f("uq_outbox_messages_idempotency_key")
        ),
        _one_of("channel", ("sms", "email"), "ck_outbox_messages_channel"),
        _one_of(
            "status", ("pending", "sent", "failed"), "ck_outbox_messages_message_status"
        ),
    )
    op.create_index(
        "ix_outbox_messages_due",
        "outbox_messages",
        ["status", "next_attempt_at"],
        unique=False,
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", _timestamp(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=50), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index(op.f("ix_audit_events_at"), "audit_events", ["at"], unique=False)
    op.create_index(
        op.f("ix_audit_events_subject"), "audit_events", ["subject"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_events_subject"), table_name="audit_events")
    op.drop_index(op.f("ix_audit_events_at"), table_name="audit_events")
    op.drop_table("audit_events")
    op.drop_index("ix_outbox_messages_due", table_name="outbox_messages")
    op.drop_table("outbox_messages")
    op.drop_index(op.f("ix_portings_msisdn"), table_name="portings")
    op.drop_table("portings")
    op.drop_index(op.f("ix_orders_msisdn"), table_name="orders")
    op.drop_index(op.f("ix_orders_holder_id"), table_name="orders")
    op.drop_table("orders")
    op.drop_table("declared_users")
    op.drop_index(op.f("ix_lines_holder_id"), table_name="lines")
    op.drop_table("lines")
    op.drop_table("holders")
