"""floor-plan financing: dealers' credit lines, financed units and their repayments, stock audits
with scans and alerts, temporary limit increases and their rule; the chart gains the floor-plan
accounts

Revision ID: 0020_floorplan
Revises: 0019_funder_portfolio
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend.db.base import UTCDateTime

revision = "0020_floorplan"
down_revision = "0019_funder_portfolio"
branch_labels = None
depends_on = None

_OLD_CHART = (
    "'lease_receivable', 'unearned_interest', 'interest_income', 'fees_receivable',"
    " 'fee_income', 'deposit_liability', 'cash', 'dealer_payable', 'funder_payable',"
    " 'penalty_receivable', 'penalty_income', 'advance_receipts', 'commission_expense',"
    " 'dealer_receivable', 'funder_capital', 'funding_cost'"
)
_CHART = _OLD_CHART + (
    ", 'floorplan_receivable', 'floorplan_interest_receivable', 'floorplan_interest_income',"
    " 'floorplan_clearing'"
)
_ZERO = sa.text("0")


def _chart(check: str) -> None:
    with op.batch_alter_table("ledger_lines") as batch:
        batch.drop_constraint(op.f("ck_ledger_lines_account_in_chart"), type_="check")
        batch.create_check_constraint(
            op.f("ck_ledger_lines_account_in_chart"), f"account IN ({check})"
        )


def _id() -> sa.Column[str]:
    return sa.Column("id", sa.String(length=32), nullable=False)


def _fk(column: str, table: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "floorplan_lines",
        _id(),
        sa.Column("dealer_id", sa.String(length=32), nullable=False),
        sa.Column("limit_fen", sa.BigInteger(), nullable=False),
        sa.Column("annual_rate_percent", sa.String(length=12), nullable=False),
        sa.Column("max_days", sa.Integer(), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _fk("dealer_id", "floorplan_lines", "organisations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_floorplan_lines")),
        sa.UniqueConstraint("dealer_id", name=op.f("uq_floorplan_lines_dealer_id")),
    )
    op.create_table(
        "floorplan_units",
        _id(),
        sa.Column("line_id", sa.String(length=32), nullable=False),
        sa.Column("dealer_id", sa.String(length=32), nullable=False),
        sa.Column("vin", sa.String(length=17), nullable=False),
        sa.Column("financed_vin", sa.String(length=17), nullable=True),
        sa.Column("model", sa.String(length=40), nullable=False),
        sa.Column("payee", sa.String(length=100), nullable=False),
        sa.Column("principal_fen", sa.BigInteger(), nullable=False),
        sa.Column("principal_left_fen", sa.BigInteger(), nullable=False),
        sa.Column("interest_billed_fen", sa.BigInteger(), nullable=False),
        sa.Column("interest_paid_fen", sa.BigInteger(), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("drawn_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("overdue_fen", sa.BigInteger(), nullable=False),
        sa.Column("overdue_since", sa.Date(), nullable=True),
        sa.Column("paid_off_on", sa.Date(), nullable=True),
        sa.Column("contract_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        _fk("line_id", "floorplan_units", "floorplan_lines"),
        _fk("dealer_id", "floorplan_units", "organisations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_floorplan_units")),
        sa.UniqueConstraint("financed_vin", name=op.f("uq_floorplan_units_financed_vin")),
    )
    op.create_index(op.f("ix_floorplan_units_dealer_id"), "floorplan_units", ["dealer_id"])
    op.create_index(op.f("ix_floorplan_units_vin"), "floorplan_units", ["vin"])
    op.create_index(op.f("ix_floorplan_units_status"), "floorplan_units", ["status"])
    op.create_table(
        "floorplan_repayments",
        _id(),
        sa.Column("unit_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("principal_fen", sa.BigInteger(), nullable=False),
        sa.Column("interest_fen", sa.BigInteger(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        _fk("unit_id", "floorplan_repayments", "floorplan_units"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_floorplan_repayments")),
        sa.UniqueConstraint(
            "unit_id", "reference", name=op.f("uq_floorplan_repayments_unit_id_reference")
        ),
    )
    op.create_index(op.f("ix_floorplan_repayments_unit_id"), "floorplan_repayments", ["unit_id"])
    op.create_table(
        "floorplan_audits",
        _id(),
        sa.Column("dealer_id", sa.String(length=32), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("unit_ids", sa.JSON(), nullable=False),
        sa.Column("opened_by", sa.String(length=32), nullable=True),
        sa.Column("period", sa.String(length=7), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        _fk("dealer_id", "floorplan_audits", "organisations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_floorplan_audits")),
        sa.UniqueConstraint(
            "dealer_id", "period", name=op.f("uq_floorplan_audits_dealer_id_period")
        ),
    )
    op.create_index(op.f("ix_floorplan_audits_dealer_id"), "floorplan_audits", ["dealer_id"])
    op.create_index(op.f("ix_floorplan_audits_status"), "floorplan_audits", ["status"])
    op.create_table(
        "floorplan_audit_scans",
        _id(),
        sa.Column("audit_id", sa.String(length=32), nullable=False),
        sa.Column("unit_id", sa.String(length=32), nullable=False),
        sa.Column("photo_path", sa.String(length=200), nullable=False),
        sa.Column("photo_sha256", sa.String(length=64), nullable=False),
        sa.Column("scanned_by", sa.String(length=32), nullable=False),
        sa.Column("scanned_at", UTCDateTime(), nullable=False),
        _fk("audit_id", "floorplan_audit_scans", "floorplan_audits"),
        _fk("unit_id", "floorplan_audit_scans", "floorplan_units"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_floorplan_audit_scans")),
        sa.UniqueConstraint(
            "audit_id", "unit_id", name=op.f("uq_floorplan_audit_scans_audit_id_unit_id")
        ),
    )
    op.create_index(
        op.f("ix_floorplan_audit_scans_audit_id"), "floorplan_audit_scans", ["audit_id"]
    )
    op.create_table(
        "floorplan_alerts",
        _id(),
        sa.Column("dealer_id", sa.String(length=32), nullable=False),
        sa.Column("unit_id", sa.String(length=32), nullable=False),
        sa.Column("audit_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("raised_at", UTCDateTime(), nullable=False),
        _fk("dealer_id", "floorplan_alerts", "organisations"),
        _fk("unit_id", "floorplan_alerts", "floorplan_units"),
        _fk("audit_id", "floorplan_alerts", "floorplan_audits"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_floorplan_alerts")),
        sa.UniqueConstraint(
            "audit_id", "unit_id", name=op.f("uq_floorplan_alerts_audit_id_unit_id")
        ),
    )
    op.create_index(op.f("ix_floorplan_alerts_dealer_id"), "floorplan_alerts", ["dealer_id"])
    op.create_table(
        "floorplan_increase_rules",
        _id(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("published_by", sa.String(length=32), nullable=True),
        sa.Column("published_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_floorplan_increase_rules")),
        sa.UniqueConstraint("version", name=op.f("uq_floorplan_increase_rules_version")),
    )
    op.create_table(
        "floorplan_limit_increases",
        _id(),
        sa.Column("line_id", sa.String(length=32), nullable=False),
        sa.Column("model", sa.String(length=40), nullable=False),
        sa.Column("week", sa.String(length=8), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("granted_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("z_score", sa.String(length=16), nullable=False),
        sa.Column("rule_version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        _fk("line_id", "floorplan_limit_increases", "floorplan_lines"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_floorplan_limit_increases")),
        sa.UniqueConstraint(
            "line_id", "model", "week",
            name=op.f("uq_floorplan_limit_increases_line_id_model_week"),
        ),
    )  # fmt: skip
    op.create_index(
        op.f("ix_floorplan_limit_increases_line_id"), "floorplan_limit_increases", ["line_id"]
    )
    _chart(_CHART)


def downgrade() -> None:
    _chart(_OLD_CHART)  # fails while a line uses a floor-plan account: nothing is lost silently
    for table in (
        "floorplan_limit_increases",
        "floorplan_increase_rules",
        "floorplan_alerts",
        "floorplan_audit_scans",
        "floorplan_audits",
        "floorplan_repayments",
        "floorplan_units",
        "floorplan_lines",
    ):
        op.drop_table(table)
