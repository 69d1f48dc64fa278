"""floor-plan units are read a page at a time, newest drawdown first: an index in that order

Revision ID: 0026_floorplan_units_paging
Revises: 0025_floorplan_payments
"""

from __future__ import annotations

from alembic import op

revision = "0026_floorplan_units_paging"
down_revision = "0025_floorplan_payments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_floorplan_units_dealer_drawn", "floorplan_units",
                    ["dealer_id", "drawn_on", "id"])  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_floorplan_units_dealer_drawn", table_name="floorplan_units")
