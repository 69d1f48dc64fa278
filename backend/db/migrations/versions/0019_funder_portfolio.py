"""funder portfolio: co-lending agreements (versions per funder), the agreement frozen on each
funded contract, each repayment's allocation to the funder, remittances; the chart gains the
funder's capital in its contracts and the lessor's funding cost

Revision ID: 0019_funder_portfolio
Revises: 0018_statement_exports
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend.db.base import UTCDateTime

revision = "0019_funder_portfolio"
down_revision = "0018_statement_exports"
branch_labels = None
depends_on = None

_OLD_CHART = (
    "'lease_receivable', 'unearned_interest', 'interest_income', 'fees_receivable',"
    " 'fee_income', 'deposit_liability', 'cash', 'dealer_payable', 'funder_payable',"
    " 'penalty_receivable', 'penalty_income', 'advance_receipts',"
    " 'commission_expense', 'dealer_receivable'"
)
_CHART = _OLD_CHART + ", 'funder_capital', 'funding_cost'"


def _chart(check: str) -> None:
    with op.batch_alter_table("ledger_lines") as batch:
        batch.drop_constraint(op.f("ck_ledger_lines_account_in_chart"), type_="check")
        batch.create_check_constraint(
            op.f("ck_ledger_lines_account_in_chart"), f"account IN ({check})"
        )


def _org(table: str, column: str = "funder_id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["organisations.id"], name=op.f(f"fk_{table}_{column}_organisations")
    )


def _contract(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["contract_id"], ["contracts.id"], name=op.f(f"fk_{table}_contract_id_contracts")
    )


def upgrade() -> None:
    op.create_table(
        "funder_agreements",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("funder_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("share_e4", sa.Integer(), nullable=False),
        sa.Column("yield_e4", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        _org("funder_agreements"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funder_agreements")),
        sa.UniqueConstraint("funder_id", "version",
                            name=op.f("uq_funder_agreements_funder_id_version")),
    )  # fmt: skip
    op.create_table(
        "contract_fundings",
        sa.Column("contract_id", sa.String(length=32), nullable=False),
        sa.Column("funder_id", sa.String(length=32), nullable=False),
        sa.Column("agreement_version", sa.Integer(), nullable=False),
        sa.Column("share_e4", sa.Integer(), nullable=False),
        sa.Column("yield_e4", sa.Integer(), nullable=False),
        sa.Column("financed_fen", sa.BigInteger(), nullable=False),
        sa.Column("funded_fen", sa.BigInteger(), nullable=False),
        sa.Column("funded_on", sa.Date(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        _contract("contract_fundings"),
        _org("contract_fundings"),
        sa.PrimaryKeyConstraint("contract_id", name=op.f("pk_contract_fundings")),
    )
    op.create_index(op.f("ix_contract_fundings_funder_id"), "contract_fundings", ["funder_id"])
    op.create_table(
        "funder_allocations",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("contract_id", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("funder_id", sa.String(length=32), nullable=False),
        sa.Column("paid_fen", sa.BigInteger(), nullable=False),
        sa.Column("principal_repaid_fen", sa.BigInteger(), nullable=False),
        sa.Column("principal_fen", sa.BigInteger(), nullable=False),
        sa.Column("yield_fen", sa.BigInteger(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        _contract("funder_allocations"),
        _org("funder_allocations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funder_allocations")),
        sa.UniqueConstraint("contract_id", "reference",
                            name=op.f("uq_funder_allocations_contract_id_reference")),
    )  # fmt: skip
    op.create_index(op.f("ix_funder_allocations_funder_id"), "funder_allocations", ["funder_id"])
    op.create_table(
        "funder_remittances",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("funder_id", sa.String(length=32), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("contracts", sa.Integer(), nullable=False),
        sa.Column("bank_reference", sa.String(length=64), nullable=True),
        sa.Column("created_by_id", sa.String(length=32), nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        _org("funder_remittances"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funder_remittances")),
    )
    op.create_index(op.f("ix_funder_remittances_funder_id"), "funder_remittances", ["funder_id"])
    _chart(_CHART)


def downgrade() -> None:
    _chart(_OLD_CHART)
    op.drop_index(op.f("ix_funder_remittances_funder_id"), table_name="funder_remittances")
    op.drop_table("funder_remittances")
    op.drop_index(op.f("ix_funder_allocations_funder_id"), table_name="funder_allocations")
    op.drop_table("funder_allocations")
    op.drop_index(op.f("ix_contract_fundings_funder_id"), table_name="contract_fundings")
    op.drop_table("contract_fundings")
    op.drop_table("funder_agreements")
