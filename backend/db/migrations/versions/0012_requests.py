"""servicing requests: payoff and prepayment quotes, schedule revisions, title releases

Revision ID: 0012_requests
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend.db.base import UTCDateTime

revision = "0012_requests"
down_revision = "0012_payments"
branch_labels = None
depends_on = None


def _contract_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["contract_id"], ["contracts.id"], name=op.f(f"fk_{table}_contract_id_contracts")
    )


def upgrade() -> None:
    op.create_table(
        "payoff_quotes",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("contract_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("settle_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("total_fen", sa.BigInteger(), nullable=False),
        sa.Column("deposit_refund_fen", sa.BigInteger(), nullable=False),
        sa.Column("per_day_fen", sa.BigInteger(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("used_reference", sa.String(length=100), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        _contract_fk("payoff_quotes"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payoff_quotes")),
    )
    op.create_index(op.f("ix_payoff_quotes_contract_id"), "payoff_quotes", ["contract_id"])
    op.create_table(
        "schedule_revisions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("contract_id", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("number_offset", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        _contract_fk("schedule_revisions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_revisions")),
        sa.UniqueConstraint(
            "contract_id", "revision", name=op.f("uq_schedule_revisions_contract_id_revision")
        ),
    )
    op.create_index(
        op.f("ix_schedule_revisions_contract_id"), "schedule_revisions", ["contract_id"]
    )
    op.create_table(
        "title_releases",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("contract_id", sa.String(length=32), nullable=False),
        sa.Column("quote_id", sa.String(length=32), nullable=True),
        sa.Column("released_on", sa.Date(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        _contract_fk("title_releases"),
        sa.ForeignKeyConstraint(
            ["quote_id"],
            ["payoff_quotes.id"],
            name=op.f("fk_title_releases_quote_id_payoff_quotes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_title_releases")),
        sa.UniqueConstraint("contract_id", name=op.f("uq_title_releases_contract_id")),
    )
    op.create_table(
        "extension_requests",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("contract_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("months_to_add", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("preview", sa.JSON(), nullable=False),
        sa.Column("decision", sa.JSON(), nullable=False),
        sa.Column("from_revision", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=True),
        sa.Column("figures", sa.JSON(), nullable=True),
        sa.Column("decided_by", sa.String(length=32), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        _contract_fk("extension_requests"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extension_requests")),
    )
    op.create_index(
        op.f("ix_extension_requests_contract_id"), "extension_requests", ["contract_id"]
    )
    op.create_index(op.f("ix_extension_requests_status"), "extension_requests", ["status"])
    op.create_table(
        "extension_rule_sets",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("published_by", sa.String(length=32), nullable=True),
        sa.Column("published_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extension_rule_sets")),
        sa.UniqueConstraint("version", name=op.f("uq_extension_rule_sets_version")),
    )
    op.create_table(
        "end_of_term_choices",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("contract_id", sa.String(length=32), nullable=False),
        sa.Column("option", sa.String(length=8), nullable=False),
        sa.Column("slot_at", UTCDateTime(), nullable=True),
        sa.Column("quote_id", sa.String(length=32), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("chosen_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        _contract_fk("end_of_term_choices"),
        sa.ForeignKeyConstraint(
            ["quote_id"], ["payoff_quotes.id"],
            name=op.f("fk_end_of_term_choices_quote_id_payoff_quotes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_end_of_term_choices")),
        sa.UniqueConstraint("slot_at", name=op.f("uq_end_of_term_choices_slot_at")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_end_of_term_choices_contract_id"), "end_of_term_choices", ["contract_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_end_of_term_choices_contract_id"), "end_of_term_choices")
    op.drop_table("end_of_term_choices")
    op.drop_table("extension_rule_sets")
    op.drop_index(op.f("ix_extension_requests_status"), "extension_requests")
    op.drop_index(op.f("ix_extension_requests_contract_id"), "extension_requests")
    op.drop_table("extension_requests")
    op.drop_table("title_releases")
    op.drop_table("schedule_revisions")
    op.drop_index(op.f("ix_payoff_quotes_contract_id"), "payoff_quotes")
    op.drop_table("payoff_quotes")
