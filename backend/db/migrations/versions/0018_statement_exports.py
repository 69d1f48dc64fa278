"""statement exports: a dealer statement's large export runs as a job (statement_exports); a
party's ledger lines by account are found by 0017's index

Revision ID: 0018_statement_exports
Revises: 0017_dealer_commissions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend.db.base import UTCDateTime

revision = "0018_statement_exports"
down_revision = "0017_dealer_commissions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "statement_exports",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("dealer_id", sa.String(length=32), nullable=False),
        sa.Column("requested_by", sa.String(length=32), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=80), nullable=True),
        sa.Column("error", sa.String(length=40), nullable=True),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dealer_id"], ["organisations.id"],
            name=op.f("fk_statement_exports_dealer_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"], ["users.id"], name=op.f("fk_statement_exports_requested_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_exports")),
    )
    op.create_index(
        op.f("ix_statement_exports_dealer_id"), "statement_exports", ["dealer_id"]
    )
    op.create_index("ix_statement_exports_due", "statement_exports", ["status", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_statement_exports_due", table_name="statement_exports")
    op.drop_index(op.f("ix_statement_exports_dealer_id"), table_name="statement_exports")
    op.drop_table("statement_exports")
