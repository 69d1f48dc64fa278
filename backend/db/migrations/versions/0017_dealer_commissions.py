"""dealer commissions: versions of the commission rule set, each funded lease's commission; the
chart gains the commission expense and the receivable from dealers (clawbacks); an application
keeps its quote's financed amount as a column (the dealer's summary sums it)

Revision ID: 0017_dealer_commissions
Revises: 0016_plan_provinces
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from alembic import op

from backend.db.base import UTCDateTime

revision = "0017_dealer_commissions"
down_revision = "0016_plan_provinces"
branch_labels = None
depends_on = None

_OLD_CHART = (
    "'lease_receivable', 'unearned_interest', 'interest_income', 'fees_receivable',"
    " 'fee_income', 'deposit_liability', 'cash', 'dealer_payable', 'funder_payable',"
    " 'penalty_receivable', 'penalty_income', 'advance_receipts'"
)
_CHART = _OLD_CHART + ", 'commission_expense', 'dealer_receivable'"
_ZERO = sa.text("0")


def _chart(check: str) -> None:
    with op.batch_alter_table("ledger_lines") as batch:
        batch.drop_constraint(op.f("ck_ledger_lines_account_in_chart"), type_="check")
        batch.create_check_constraint(
            op.f("ck_ledger_lines_account_in_chart"), f"account IN ({check})"
        )


def upgrade() -> None:
    op.create_table(
        "commission_rule_sets",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commission_rule_sets")),
        sa.UniqueConstraint("version", name=op.f("uq_commission_rule_sets_version")),
    )
    op.create_table(
        "dealer_commissions",
        sa.Column("contract_id", sa.String(length=32), nullable=False),
        sa.Column("dealer_id", sa.String(length=32), nullable=False),
        sa.Column("product_id", sa.String(length=40), nullable=False),
        sa.Column("rule_version", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(length=8), nullable=False),
        sa.Column("financed_fen", sa.BigInteger(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("set_off_fen", sa.BigInteger(), nullable=False, server_default=_ZERO),
        sa.Column("paid_fen", sa.BigInteger(), nullable=False, server_default=_ZERO),
        sa.Column("funded_on", sa.Date(), nullable=False),
        sa.Column("earned_at", UTCDateTime(), nullable=False),
        sa.Column("clawback_months", sa.Integer(), nullable=False),
        sa.Column("clawback_days_past_due", sa.Integer(), nullable=False),
        sa.Column("clawed_back_fen", sa.BigInteger(), nullable=False, server_default=_ZERO),
        sa.Column("clawed_back_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["contract_id"], ["contracts.id"],
                                name=op.f("fk_dealer_commissions_contract_id_contracts")),
        sa.ForeignKeyConstraint(["dealer_id"], ["organisations.id"],
                                name=op.f("fk_dealer_commissions_dealer_id_organisations")),
        sa.PrimaryKeyConstraint("contract_id", name=op.f("pk_dealer_commissions")),
    )  # fmt: skip
    op.create_index(op.f("ix_dealer_commissions_dealer_id"), "dealer_commissions", ["dealer_id"])
    op.create_index("ix_ledger_lines_party_account", "ledger_lines", ["party", "account"])
    _chart(_CHART)
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("quoted_principal_fen", sa.BigInteger(), nullable=True))
    _backfill_quoted_principal()


def _backfill_quoted_principal() -> None:
    """From each quote's `principal` (yuan, two decimals, as the quote stored it)."""
    apps = sa.table("applications", sa.column("id", sa.String), sa.column("quote_request", sa.JSON),
                    sa.column("quoted_principal_fen", sa.BigInteger))  # fmt: skip
    bind = op.get_bind()
    for app_id, quote in bind.execute(sa.select(apps.c.id, apps.c.quote_request)).all():
        principal = (quote or {}).get("principal") if isinstance(quote, dict) else None
        if principal is None:
            continue
        fen = int((Decimal(str(principal)) * 100).to_integral_value())
        bind.execute(apps.update().where(apps.c.id == app_id).values(quoted_principal_fen=fen))


def downgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("quoted_principal_fen")
    _chart(_OLD_CHART)
    op.drop_index("ix_ledger_lines_party_account", table_name="ledger_lines")
    op.drop_index(op.f("ix_dealer_commissions_dealer_id"), table_name="dealer_commissions")
    op.drop_table("dealer_commissions")
    op.drop_table("commission_rule_sets")
