"""lease products: products and their immutable versions; an application records the product
version it was quoted on and the clerk's choice

Existing applications keep their typed-rate quotes (no product); submit asks for a product.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

FK = "fk_applications_product_version_id_product_versions"


def upgrade() -> None:
    op.create_table(
        "products",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("active_number", sa.Integer(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
    )
    op.create_table(
        "product_versions",
        sa.Column("product_id", sa.String(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_product_versions_product_id_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_versions")),
        sa.UniqueConstraint(
            "product_id", "number", name=op.f("uq_product_versions_product_id_number")
        ),
    )
    op.create_index(op.f("ix_product_versions_product_id"), "product_versions", ["product_id"])
    op.add_column("applications", sa.Column("quote_choice", sa.JSON(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        # As in 0004: SQLite adds a column with its reference in place (batch mode would rebuild
        # applications, which the foreign keys from photos and risk_decisions forbid).
        op.execute(
            "ALTER TABLE applications ADD COLUMN product_version_id VARCHAR(32)"
            f" CONSTRAINT {FK} REFERENCES product_versions (id)"
        )
    else:
        op.add_column(
            "applications", sa.Column("product_version_id", sa.String(length=32), nullable=True)
        )
        op.create_foreign_key(FK, "applications", "product_versions", ["product_version_id"], ["id"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA defer_foreign_keys = ON")
        with op.batch_alter_table("applications", recreate="always") as batch_op:
            batch_op.drop_column("product_version_id")
            batch_op.drop_column("quote_choice")
    else:
        op.drop_constraint(FK, "applications", type_="foreignkey")
        op.drop_column("applications", "product_version_id")
        op.drop_column("applications", "quote_choice")
    op.drop_index(op.f("ix_product_versions_product_id"), table_name="product_versions")
    op.drop_table("product_versions")
    op.drop_table("products")
