"""the double-entry ledger: entries, unique per (contract, kind, reference), and their lines in
fen, one-sided, never negative, on an account of the chart

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
# The chart as of this revision (common.ledger.Account); a new account is a new migration.
_CHART = (
    "'lease_receivable', 'unearned_interest', 'interest_income', 'fees_receivable',"
    " 'fee_income', 'deposit_liability', 'cash', 'dealer_payable', 'funder_payable'"
)


def upgrade() -> None:
    op.create_table(
        "ledger_entries",
        sa.Column("contract_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("memo", sa.String(length=200), nullable=False),
        sa.Column("posted_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entries")),
        sa.UniqueConstraint(
            "contract_id", "kind", "reference",
            name=op.f("uq_ledger_entries_contract_id_kind_reference"),
        ),
    )  # fmt: skip
    op.create_table(
        "ledger_lines",
        sa.Column("id", _BIG, autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.String(length=32), nullable=False),
        sa.Column("account", sa.String(length=32), nullable=False),
        sa.Column("party", sa.String(length=32), nullable=True),
        sa.Column("debit_fen", sa.BigInteger(), nullable=False),
        sa.Column("credit_fen", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "debit_fen >= 0 AND credit_fen >= 0", name=op.f("ck_ledger_lines_not_negative")
        ),
        sa.CheckConstraint(
            "(debit_fen > 0) <> (credit_fen > 0)", name=op.f("ck_ledger_lines_one_sided")
        ),
        sa.CheckConstraint(
            f"account IN ({_CHART})", name=op.f("ck_ledger_lines_account_in_chart")
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["ledger_entries.id"],
            name=op.f("fk_ledger_lines_entry_id_ledger_entries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_lines")),
    )  # fmt: skip
    op.create_index(op.f("ix_ledger_lines_entry_id"), "ledger_lines", ["entry_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_ledger_lines_entry_id"), table_name="ledger_lines")
    op.drop_table("ledger_lines")
    op.drop_table("ledger_entries")
