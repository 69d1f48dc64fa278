"""the chart gains client_payable: a financed receivable's advance is owed to (and paid to) the
client whose receivable it is, not the shop that filed it

Revision ID: 0024_client_payable
Revises: 0023_revenue_share
"""

from __future__ import annotations

from alembic import op

revision = "0024_client_payable"
down_revision = "0023_revenue_share"
branch_labels = None
depends_on = None

_OLD_CHART = (
    "'lease_receivable', 'unearned_interest', 'interest_income', 'fees_receivable',"
    " 'fee_income', 'deposit_liability', 'cash', 'dealer_payable', 'funder_payable',"
    " 'penalty_receivable', 'penalty_income', 'advance_receipts', 'commission_expense',"
    " 'dealer_receivable', 'funder_capital', 'funding_cost', 'floorplan_receivable',"
    " 'floorplan_interest_receivable', 'floorplan_interest_income', 'floorplan_clearing',"
    " 'variable_rent_income'"
)
_CHART = _OLD_CHART + ", 'client_payable'"


def _chart(check: str) -> None:
    with op.batch_alter_table("ledger_lines") as batch:
        batch.drop_constraint(op.f("ck_ledger_lines_account_in_chart"), type_="check")
        batch.create_check_constraint(
            op.f("ck_ledger_lines_account_in_chart"), f"account IN ({check})"
        )


def upgrade() -> None:
    _chart(_CHART)


def downgrade() -> None:
    _chart(_OLD_CHART)  # fails while a line uses client_payable: nothing is lost silently
