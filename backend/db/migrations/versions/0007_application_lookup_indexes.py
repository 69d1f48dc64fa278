"""indexes the decision's own-records counts search by: an application's customer, and a
shop's applications by submission time (replacing the shop-only index, which it covers)

Without them each submit scanned the whole applications table.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_applications_customer_id", "applications", ["customer_id"])
    op.create_index(
        "ix_applications_shop_submitted", "applications", ["organisation_id", "submitted_at"]
    )
    op.drop_index("ix_applications_organisation_id", table_name="applications")


def downgrade() -> None:
    op.create_index("ix_applications_organisation_id", "applications", ["organisation_id"])
    op.drop_index("ix_applications_shop_submitted", table_name="applications")
    op.drop_index("ix_applications_customer_id", table_name="applications")
