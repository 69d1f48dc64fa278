"""revenue sharing: the monthly revenue reports of charging-pile leases and the variable rent
they charged; the chart gains variable_rent_income

Revision ID: 0023_revenue_share
Revises: 0022_partner_products
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend.db.base import UTCDateTime

revision = "0023_revenue_share"
down_revision = "0022_partner_products"
branch_labels = None
depends_on = None

_OLD_CHART = (
    "'lease_receivable', 'unearned_interest', 'interest_income', 'fees_receivable',"
    " 'fee_income', 'deposit_liability', 'cash', 'dealer_payable', 'funder_payable',"
    " 'penalty_receivable', 'penalty_income', 'advance_receipts', 'commission_expense',"
    " 'dealer_receivable', 'funder_capital', 'funding_cost', 'floorplan_receivable',"
    " 'floorplan_interest_receivable', 'floorplan_interest_income', 'floorplan_clearing'"
)
_CHART = _OLD_CHART + ", 'variable_rent_income'"


def _chart(check: str) -> None:
    with op.batch_alter_table("ledger_lines") as batch:
        batch.drop_constraint(op.f("ck_ledger_lines_account_in_chart"), type_="check")
        batch.create_check_constraint(
            op.f("ck_ledger_lines_account_in_chart"), f"account IN ({check})"
        )


def upgrade() -> None:
    op.create_table(
        "revenue_reports",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("contract_id", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("revenue_fen", sa.BigInteger(), nullable=False),
        sa.Column("wh", sa.BigInteger(), nullable=False),
        sa.Column("piles", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("floor_fen", sa.BigInteger(), nullable=False),
        sa.Column("share_fen", sa.BigInteger(), nullable=False),
        sa.Column("variable_fen", sa.BigInteger(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("entry_id", sa.String(length=32), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("reported_by", sa.String(length=32), nullable=False),
        sa.Column("reported_at", UTCDateTime(), nullable=False),
        sa.Column("replaced_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["contract_id"], ["contracts.id"],
                                name=op.f("fk_revenue_reports_contract_id_contracts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revenue_reports")),
        sa.UniqueConstraint("contract_id", "period", "version",
                            name=op.f("uq_revenue_reports_contract_id_period_version")),
    )  # fmt: skip
    op.create_index(
        "ix_revenue_reports_contract_period", "revenue_reports", ["contract_id", "period"]
    )
    _chart(_CHART)


def downgrade() -> None:
    _chart(_OLD_CHART)  # fails while a line uses variable_rent_income: nothing is lost silently
    op.drop_index("ix_revenue_reports_contract_period", table_name="revenue_reports")
    op.drop_table("revenue_reports")
