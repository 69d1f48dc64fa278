"""stock-audit scans keep a thumbnail beside their photo (older scans: none, the photo serves)

Revision ID: 0027_floorplan_audit_thumbnails
Revises: 0026_floorplan_units_paging
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027_floorplan_audit_thumbnails"
down_revision = "0026_floorplan_units_paging"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("floorplan_audit_scans") as batch:
        batch.add_column(sa.Column("thumb_path", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("floorplan_audit_scans") as batch:
        batch.drop_column("thumb_path")
