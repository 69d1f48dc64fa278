"""sweeps: job ticks (run once per tick across workers), the collections queue, reminders and
in-app notifications, reminder preferences, service dates

Revision ID: 0012_sweeps
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend.db.base import UTCDateTime

revision = "0012_sweeps"
down_revision = "0012_requests"
branch_labels = None
depends_on = None


def _id() -> sa.Column[str]:
    return sa.Column("id", sa.String(length=32), nullable=False)


def _contract_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["contract_id"], ["contracts.id"], name=op.f(f"fk_{table}_contract_id_contracts")
    )


def upgrade() -> None:
    op.create_table(
        "job_ticks",
        _id(),
        sa.Column("job", sa.String(length=40), nullable=False),
        sa.Column("tick", sa.String(length=32), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("worker", sa.String(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_ticks")),
        sa.UniqueConstraint("job", "tick", name=op.f("uq_job_ticks_job_tick")),
    )
    op.create_table(
        "collection_cases",
        _id(),
        sa.Column("contract_id", sa.String(length=32), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("bucket", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("assigned_to", sa.String(length=32), nullable=True),
        sa.Column("next_action_on", sa.Date(), nullable=True),
        sa.Column("promise_date", sa.Date(), nullable=True),
        sa.Column("promise_fen", sa.BigInteger(), nullable=True),
        sa.Column("last_action_kind", sa.String(length=20), nullable=True),
        sa.Column("last_action_at", UTCDateTime(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        _contract_fk("collection_cases"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_cases")),
        sa.UniqueConstraint(
            "contract_id", "opened_on", name=op.f("uq_collection_cases_contract_id_opened_on")
        ),
    )
    op.create_index(op.f("ix_collection_cases_contract_id"), "collection_cases", ["contract_id"])
    op.create_index(op.f("ix_collection_cases_status"), "collection_cases", ["status"])
    op.create_table(
        "collection_actions",
        _id(),
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("contract_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("promise_date", sa.Date(), nullable=True),
        sa.Column("promise_fen", sa.BigInteger(), nullable=True),
        sa.Column("actor_id", sa.String(length=32), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["collection_cases.id"],
            name=op.f("fk_collection_actions_case_id_collection_cases"),
        ),
        _contract_fk("collection_actions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_actions")),
    )  # fmt: skip
    op.create_index(op.f("ix_collection_actions_case_id"), "collection_actions", ["case_id"])
    op.create_index(
        op.f("ix_collection_actions_contract_id"), "collection_actions", ["contract_id"]
    )
    op.create_table(
        "reminders",
        _id(),
        sa.Column("contract_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("send_after", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("message_id", sa.String(length=32), nullable=True),
        _contract_fk("reminders"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders")),
        sa.UniqueConstraint(
            "contract_id", "kind", "revision", "number", "step", "channel",
            name=op.f("uq_reminders_contract_id_kind_revision_number_step_channel"),
        ),
    )  # fmt: skip
    op.create_index(op.f("ix_reminders_contract_id"), "reminders", ["contract_id"])
    op.create_index("ix_reminders_pending", "reminders", ["status", "send_after"])
    op.create_table(
        "notifications",
        _id(),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("contract_id", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=80), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("read_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    op.create_index(op.f("ix_notifications_customer_id"), "notifications", ["customer_id"])
    op.create_table(
        "reminder_preferences",
        _id(),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_preferences")),
        sa.UniqueConstraint(
            "customer_id", "step", name=op.f("uq_reminder_preferences_customer_id_step")
        ),
    )
    op.create_table(
        "service_dates",
        sa.Column("contract_id", sa.String(length=32), nullable=False),
        sa.Column("insurance_ends_on", sa.Date(), nullable=True),
        sa.Column("registered_on", sa.Date(), nullable=True),
        sa.Column("vehicle_class", sa.String(length=12), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        _contract_fk("service_dates"),
        sa.PrimaryKeyConstraint("contract_id", name=op.f("pk_service_dates")),
    )


def downgrade() -> None:
    for table in ("service_dates", "reminder_preferences", "notifications", "reminders",
                  "collection_actions", "collection_cases", "job_ticks"):  # fmt: skip
        op.drop_table(table)
