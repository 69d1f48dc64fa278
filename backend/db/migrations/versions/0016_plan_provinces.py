"""plan provinces: a monitoring plan's allowed regions may name whole provinces (GB/T 2260 codes)
besides drawn polygons

Revision ID: 0016_plan_provinces
Revises: 0015_partner_webhooks
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_plan_provinces"
down_revision = "0015_partner_webhooks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("monitoring_plans") as batch:
        batch.add_column(sa.Column("provinces", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("monitoring_plans") as batch:
        batch.drop_column("provinces")
