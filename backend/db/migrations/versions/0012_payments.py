"""payments: our payments, the confirmations we did not post, the sandbox provider's orders,
the daily reconciliation runs and their mismatches

Revision ID: 0012_payments
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend.db.base import UTCDateTime

revision = "0012_payments"
down_revision = "0012_parties"
branch_labels = None
depends_on = None

_ZERO = sa.text("0")


def _id() -> sa.Column[str]:
    return sa.Column("id", sa.String(length=32), nullable=False)


def upgrade() -> None:
    op.create_table(
        "payments",
        _id(),
        sa.Column("contract_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("option", sa.String(length=16), nullable=False),
        sa.Column("quote_id", sa.String(length=32), nullable=True),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("out_trade_no", sa.String(length=32), nullable=False),
        sa.Column("provider_txn_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("paid_at", UTCDateTime(), nullable=True),
        sa.Column("notified_count", sa.Integer(), nullable=False, server_default=_ZERO),
        sa.Column("receipt_number", sa.String(length=32), nullable=True),
        sa.Column("created_by_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["contracts.id"],
                                name=op.f("fk_payments_contract_id_contracts")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"],
                                name=op.f("fk_payments_customer_id_customers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
        sa.UniqueConstraint("out_trade_no", name=op.f("uq_payments_out_trade_no")),
        sa.UniqueConstraint("provider_txn_id", name=op.f("uq_payments_provider_txn_id")),
        sa.UniqueConstraint("receipt_number", name=op.f("uq_payments_receipt_number")),
    )  # fmt: skip
    op.create_index(op.f("ix_payments_contract_id"), "payments", ["contract_id"])
    op.create_index(op.f("ix_payments_customer_id"), "payments", ["customer_id"])
    op.create_index(op.f("ix_payments_status"), "payments", ["status"])
    op.create_index(op.f("ix_payments_created_at"), "payments", ["created_at"])
    op.create_table(
        "payment_exceptions",
        _id(),
        sa.Column("payment_id", sa.String(length=32), nullable=True),
        sa.Column("out_trade_no", sa.String(length=32), nullable=False),
        sa.Column("provider_txn_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("expected", sa.String(length=64), nullable=False),
        sa.Column("received", sa.String(length=64), nullable=False),
        sa.Column("seen_count", sa.Integer(), nullable=False, server_default=sa.text("1")),
        sa.Column("first_seen_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["payment_id"], ["payments.id"],
                                name=op.f("fk_payment_exceptions_payment_id_payments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_exceptions")),
        sa.UniqueConstraint("provider_txn_id", "kind",
                            name=op.f("uq_payment_exceptions_provider_txn_id_kind")),
    )  # fmt: skip
    op.create_index(op.f("ix_payment_exceptions_payment_id"), "payment_exceptions", ["payment_id"])
    op.create_table(
        "sandbox_provider_orders",
        _id(),
        sa.Column("mch_id", sa.String(length=32), nullable=False),
        sa.Column("out_trade_no", sa.String(length=32), nullable=False),
        sa.Column("description", sa.String(length=128), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("notify_url", sa.String(length=256), nullable=False),
        sa.Column("trade_state", sa.String(length=12), nullable=False),
        sa.Column("transaction_id", sa.String(length=64), nullable=True),
        sa.Column("success_time", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("notify_attempts", sa.Integer(), nullable=False, server_default=_ZERO),
        sa.Column("next_notify_at", UTCDateTime(), nullable=True),
        sa.Column("acked_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sandbox_provider_orders")),
        sa.UniqueConstraint("out_trade_no", name=op.f("uq_sandbox_provider_orders_out_trade_no")),
        sa.UniqueConstraint("transaction_id",
                            name=op.f("uq_sandbox_provider_orders_transaction_id")),
    )  # fmt: skip
    op.create_index(op.f("ix_sandbox_provider_orders_next_notify_at"), "sandbox_provider_orders",
                    ["next_notify_at"])  # fmt: skip
    op.create_table(
        "reconciliation_runs",
        _id(),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("ran_at", UTCDateTime(), nullable=False),
        sa.Column("statement_rows", sa.Integer(), nullable=False),
        sa.Column("statement_total_fen", sa.BigInteger(), nullable=False),
        sa.Column("ours_total_fen", sa.BigInteger(), nullable=False),
        sa.Column("matched", sa.Integer(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reconciliation_runs")),
        sa.UniqueConstraint("business_day", name=op.f("uq_reconciliation_runs_business_day")),
    )
    op.create_table(
        "reconciliation_mismatches",
        _id(),
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("out_trade_no", sa.String(length=32), nullable=False),
        sa.Column("provider_txn_id", sa.String(length=64), nullable=True),
        sa.Column("payment_id", sa.String(length=32), nullable=True),
        sa.Column("ours_fen", sa.BigInteger(), nullable=True),
        sa.Column("theirs_fen", sa.BigInteger(), nullable=True),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["reconciliation_runs.id"],
                                name=op.f("fk_reconciliation_mismatches_run_id_reconciliation_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reconciliation_mismatches")),
    )  # fmt: skip
    op.create_index(op.f("ix_reconciliation_mismatches_run_id"), "reconciliation_mismatches",
                    ["run_id"])  # fmt: skip


def downgrade() -> None:
    op.drop_table("reconciliation_mismatches")
    op.drop_table("reconciliation_runs")
    op.drop_table("sandbox_provider_orders")
    op.drop_table("payment_exceptions")
    op.drop_table("payments")
