"""oem network: which dealers a vehicle maker's organisation sees (its floor-plan view)

Revision ID: 0021_oem_network
Revises: 0020_floorplan
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021_oem_network"
down_revision = "0020_floorplan"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "oem_dealers",
        sa.Column("oem_id", sa.String(length=32), nullable=False),
        sa.Column("dealer_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["oem_id"], ["organisations.id"],
                                name=op.f("fk_oem_dealers_oem_id_organisations")),
        sa.ForeignKeyConstraint(["dealer_id"], ["organisations.id"],
                                name=op.f("fk_oem_dealers_dealer_id_organisations")),
        sa.PrimaryKeyConstraint("oem_id", "dealer_id", name=op.f("pk_oem_dealers")),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("oem_dealers")
