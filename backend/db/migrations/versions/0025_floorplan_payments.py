"""floor-plan payments: a payment is a lessee's of a contract or a dealer's of a floor-plan unit
(its payoff or a curtailment, through the payment provider)

Revision ID: 0025_floorplan_payments
Revises: 0024_client_payable
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025_floorplan_payments"
down_revision = "0024_client_payable"
branch_labels = None
depends_on = None

ONE_PAYER = "(contract_id IS NULL) <> (floorplan_unit_id IS NULL)"


def _defer_foreign_keys() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite rebuilds the table for these changes; the exceptions' and refunds' references
        # to payments are checked at commit rather than when the old table goes.
        op.execute("PRAGMA defer_foreign_keys = ON")


def upgrade() -> None:
    _defer_foreign_keys()
    with op.batch_alter_table("payments") as batch:
        batch.alter_column("contract_id", existing_type=sa.String(length=32), nullable=True)
        batch.alter_column("customer_id", existing_type=sa.String(length=32), nullable=True)
        batch.alter_column("purpose", existing_type=sa.String(length=16),
                           type_=sa.String(length=24), existing_nullable=False)  # fmt: skip
        batch.add_column(sa.Column("floorplan_unit_id", sa.String(length=32), nullable=True))
        batch.create_foreign_key(op.f("fk_payments_floorplan_unit_id_floorplan_units"),
                                 "floorplan_units", ["floorplan_unit_id"], ["id"])  # fmt: skip
        batch.create_index(op.f("ix_payments_floorplan_unit_id"), ["floorplan_unit_id"])
        batch.create_check_constraint(op.f("ck_payments_one_payer"), ONE_PAYER)


def downgrade() -> None:
    # Fails while a floor-plan payment exists (contract_id NULL): nothing is lost silently.
    _defer_foreign_keys()
    with op.batch_alter_table("payments") as batch:
        batch.drop_constraint(op.f("ck_payments_one_payer"), type_="check")
        batch.drop_index(op.f("ix_payments_floorplan_unit_id"))
        batch.drop_constraint(op.f("fk_payments_floorplan_unit_id_floorplan_units"),
                              type_="foreignkey")  # fmt: skip
        batch.drop_column("floorplan_unit_id")
        batch.alter_column("purpose", existing_type=sa.String(length=24),
                           type_=sa.String(length=16), existing_nullable=False)  # fmt: skip
        batch.alter_column("customer_id", existing_type=sa.String(length=32), nullable=False)
        batch.alter_column("contract_id", existing_type=sa.String(length=32), nullable=False)
