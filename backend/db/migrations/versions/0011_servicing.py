"""servicing: what each instalment still owes and how payments were allocated; the contract's
schedule revision and delinquency; the chart gains penalty and advance-receipt accounts

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend.db.base import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_OLD_CHART = (
    "'lease_receivable', 'unearned_interest', 'interest_income', 'fees_receivable',"
    " 'fee_income', 'deposit_liability', 'cash', 'dealer_payable', 'funder_payable'"
)
_CHART = _OLD_CHART + ", 'penalty_receivable', 'penalty_income', 'advance_receipts'"
_ZERO = sa.text("0")


def _fen(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.BigInteger(), nullable=False, server_default=_ZERO)


def _chart(check: str) -> None:
    with op.batch_alter_table("ledger_lines") as batch:
        batch.drop_constraint(op.f("ck_ledger_lines_account_in_chart"), type_="check")
        batch.create_check_constraint(
            op.f("ck_ledger_lines_account_in_chart"), f"account IN ({check})"
        )


def upgrade() -> None:
    op.create_table(
        "contract_instalments",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("contract_id", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("principal_fen", sa.BigInteger(), nullable=False),
        sa.Column("interest_fen", sa.BigInteger(), nullable=False),
        _fen("fees_fen"), _fen("offset_fen"), _fen("offset_applied_fen"), _fen("penalty_fen"),
        sa.Column("penalty_through", sa.Date(), nullable=True),
        _fen("paid_principal_fen"), _fen("paid_interest_fen"), _fen("paid_fees_fen"),
        _fen("paid_penalty_fen"),
        sa.Column("settled_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"],
            name=op.f("fk_contract_instalments_contract_id_contracts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_instalments")),
        sa.UniqueConstraint(
            "contract_id", "revision", "number",
            name=op.f("uq_contract_instalments_contract_id_revision_number"),
        ),
    )  # fmt: skip
    op.create_index(
        "ix_contract_instalments_unsettled_due", "contract_instalments", ["settled_on", "due_date"]
    )
    op.create_table(
        "payment_allocations",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("contract_id", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("component", sa.String(length=12), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"],
            name=op.f("fk_payment_allocations_contract_id_contracts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_allocations")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_payment_allocations_contract_id"), "payment_allocations", ["contract_id"]
    )
    op.create_index(op.f("ix_payment_allocations_reference"), "payment_allocations", ["reference"])
    with op.batch_alter_table("contracts") as batch:
        batch.add_column(
            sa.Column("revision", sa.Integer(), nullable=False, server_default=sa.text("1"))
        )
        batch.add_column(
            sa.Column("bucket", sa.String(length=2), nullable=False, server_default="M0")
        )
        batch.add_column(sa.Column("days_past_due", sa.Integer(), nullable=False,
                                   server_default=_ZERO))  # fmt: skip
        batch.create_index(op.f("ix_contracts_bucket"), ["bucket"])
    _chart(_CHART)


def downgrade() -> None:
    _chart(_OLD_CHART)  # fails while a line uses a new account: nothing is lost silently
    op.drop_table("payment_allocations")
    op.drop_table("contract_instalments")
    with op.batch_alter_table("contracts") as batch:
        batch.drop_index(op.f("ix_contracts_bucket"))
        batch.drop_column("days_past_due")
        batch.drop_column("bucket")
        batch.drop_column("revision")
