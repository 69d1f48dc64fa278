"""refunds: the finance desk resolves payment exceptions (refund, post, dismiss); our refunds and
the sandbox provider's; reconciliation of refund lines

Revision ID: 0013_refunds
Revises: 0012_sweeps
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend.db.base import UTCDateTime

revision = "0013_refunds"
down_revision = "0012_sweeps"
branch_labels = None
depends_on = None

_ZERO = sa.text("0")


def _id() -> sa.Column[str]:
    return sa.Column("id", sa.String(length=32), nullable=False)


def upgrade() -> None:
    op.add_column("payment_exceptions", sa.Column("received_fen", sa.BigInteger(), nullable=True))
    op.add_column("payment_exceptions", sa.Column("status", sa.String(length=12), nullable=False,
                                                  server_default="open"))  # fmt: skip
    op.add_column("payment_exceptions",
                  sa.Column("resolution", sa.String(length=12), nullable=True))  # fmt: skip
    op.add_column("payment_exceptions",
                  sa.Column("resolution_note", sa.String(length=500), nullable=True))  # fmt: skip
    op.add_column("payment_exceptions", sa.Column("resolved_at", UTCDateTime(), nullable=True))
    op.add_column("payment_exceptions",
                  sa.Column("resolved_by_id", sa.String(length=32), nullable=True))  # fmt: skip
    op.create_index(op.f("ix_payment_exceptions_status"), "payment_exceptions", ["status"])
    # What the transaction received, for the rows kept before: the provider's order says it.
    op.execute(
        "UPDATE payment_exceptions SET received_fen = (SELECT o.amount_fen FROM "
        "sandbox_provider_orders o WHERE o.transaction_id = payment_exceptions.provider_txn_id)"
    )
    op.create_table(
        "payment_refunds",
        _id(),
        sa.Column("exception_id", sa.String(length=32), nullable=False),
        sa.Column("payment_id", sa.String(length=32), nullable=True),
        sa.Column("out_trade_no", sa.String(length=32), nullable=False),
        sa.Column("provider_txn_id", sa.String(length=64), nullable=False),
        sa.Column("out_refund_no", sa.String(length=64), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("provider_refund_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("success_time", UTCDateTime(), nullable=True),
        sa.Column("requested_by_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["exception_id"], ["payment_exceptions.id"],
                                name=op.f("fk_payment_refunds_exception_id_payment_exceptions")),
        sa.ForeignKeyConstraint(["payment_id"], ["payments.id"],
                                name=op.f("fk_payment_refunds_payment_id_payments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_refunds")),
        sa.UniqueConstraint("exception_id", name=op.f("uq_payment_refunds_exception_id")),
        sa.UniqueConstraint("out_refund_no", name=op.f("uq_payment_refunds_out_refund_no")),
    )  # fmt: skip
    for column in ("payment_id", "provider_txn_id", "status", "created_at"):
        op.create_index(op.f(f"ix_payment_refunds_{column}"), "payment_refunds", [column])
    op.create_table(
        "sandbox_provider_refunds",
        _id(),
        sa.Column("mch_id", sa.String(length=32), nullable=False),
        sa.Column("out_trade_no", sa.String(length=32), nullable=False),
        sa.Column("transaction_id", sa.String(length=64), nullable=False),
        sa.Column("out_refund_no", sa.String(length=64), nullable=False),
        sa.Column("refund_id", sa.String(length=64), nullable=False),
        sa.Column("refund_fen", sa.BigInteger(), nullable=False),
        sa.Column("total_fen", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("success_time", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sandbox_provider_refunds")),
        sa.UniqueConstraint("out_refund_no",
                            name=op.f("uq_sandbox_provider_refunds_out_refund_no")),
        sa.UniqueConstraint("refund_id", name=op.f("uq_sandbox_provider_refunds_refund_id")),
    )  # fmt: skip
    for column in ("transaction_id", "created_at"):
        op.create_index(op.f(f"ix_sandbox_provider_refunds_{column}"), "sandbox_provider_refunds",
                        [column])  # fmt: skip
    for column in ("statement_refunds_fen", "ours_refunds_fen"):
        op.add_column(
            "reconciliation_runs",
            sa.Column(column, sa.BigInteger(), nullable=False, server_default=_ZERO),
        )
    op.add_column("reconciliation_mismatches",
                  sa.Column("out_refund_no", sa.String(length=64), nullable=True))  # fmt: skip


def downgrade() -> None:
    op.drop_column("reconciliation_mismatches", "out_refund_no")
    op.drop_column("reconciliation_runs", "ours_refunds_fen")
    op.drop_column("reconciliation_runs", "statement_refunds_fen")
    op.drop_table("sandbox_provider_refunds")
    op.drop_table("payment_refunds")
    op.drop_index(op.f("ix_payment_exceptions_status"), "payment_exceptions")
    for column in ("resolved_by_id", "resolved_at", "resolution_note", "resolution", "status",
                   "received_fen"):  # fmt: skip
        op.drop_column("payment_exceptions", column)
