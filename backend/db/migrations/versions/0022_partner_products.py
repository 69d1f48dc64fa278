"""partner products: an application's product family and asset; rule sets per family

Revision ID: 0022_partner_products
Revises: 0021_oem_network
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022_partner_products"
down_revision = "0021_oem_network"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("product_family", sa.String(length=20), nullable=False,
                                   server_default="vehicle"))  # fmt: skip
        batch.add_column(sa.Column("asset", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("asset_party_uscc", sa.String(length=18), nullable=True))
        batch.create_index(op.f("ix_applications_asset_party_uscc"), ["asset_party_uscc"])
    # Every rule set and the one active row so far decide vehicle leases.
    with op.batch_alter_table("risk_rulesets") as batch:
        batch.add_column(sa.Column("family", sa.String(length=20), nullable=False,
                                   server_default="vehicle"))  # fmt: skip
        batch.create_index(op.f("ix_risk_rulesets_family"), ["family"])
        # version numbers count per family: the supplier-finance set's v1 is its first
        batch.drop_constraint(op.f("uq_risk_rulesets_number"), type_="unique")
        batch.create_unique_constraint(op.f("uq_risk_rulesets_family_number"), ["family", "number"])
    with op.batch_alter_table("risk_active_ruleset") as batch:
        batch.add_column(sa.Column("family", sa.String(length=20), nullable=False,
                                   server_default="vehicle"))  # fmt: skip
        batch.create_unique_constraint(op.f("uq_risk_active_ruleset_family"), ["family"])


def downgrade() -> None:
    # Only the vehicle family existed before: the partner families' pointers go with it.
    op.execute("DELETE FROM risk_active_ruleset WHERE family <> 'vehicle'")
    with op.batch_alter_table("risk_active_ruleset") as batch:
        batch.drop_constraint(op.f("uq_risk_active_ruleset_family"), type_="unique")
        batch.drop_column("family")
    op.execute("DELETE FROM risk_ruleset_changes WHERE ruleset_id IN"
               " (SELECT id FROM risk_rulesets WHERE family <> 'vehicle')")
    op.execute("DELETE FROM risk_rulesets WHERE family <> 'vehicle' AND id NOT IN"
               " (SELECT ruleset_id FROM risk_decisions)")  # decided on: kept, refused below
    with op.batch_alter_table("risk_rulesets") as batch:
        batch.drop_constraint(op.f("uq_risk_rulesets_family_number"), type_="unique")
        batch.create_unique_constraint(op.f("uq_risk_rulesets_number"), ["number"])
        batch.drop_index(op.f("ix_risk_rulesets_family"))
        batch.drop_column("family")
    with op.batch_alter_table("applications") as batch:
        batch.drop_index(op.f("ix_applications_asset_party_uscc"))
        batch.drop_column("asset_party_uscc")
        batch.drop_column("asset")
        batch.drop_column("product_family")
