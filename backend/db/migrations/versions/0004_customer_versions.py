"""customer versions: an application keeps the customer details it was filed and decided with

Every existing customer gets version 1 from its current columns (with the customer's own id as
the version's id, so the copy is one INSERT ... SELECT on either database), and every existing
application with a customer points at that version. Downgrading drops the versions: the
customers table still holds the newest details.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 20:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

FK = "fk_applications_customer_version_id_customer_versions"
IX = "ix_applications_customer_version_id"


def upgrade() -> None:
    op.create_table(
        "customer_versions",
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("name_enc", sa.String(length=400), nullable=False),
        sa.Column("name_masked", sa.String(length=100), nullable=False),
        sa.Column("mobile_enc", sa.String(length=200), nullable=False),
        sa.Column("mobile_hash", sa.String(length=64), nullable=False),
        sa.Column("mobile_masked", sa.String(length=20), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.String(length=32), nullable=True),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_customer_versions_customer_id_customers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_versions")),
        sa.UniqueConstraint(
            "customer_id", "version", name=op.f("uq_customer_versions_customer_id_version")
        ),
    )
    op.create_index(
        op.f("ix_customer_versions_customer_id"), "customer_versions", ["customer_id"]
    )
    op.create_index(
        op.f("ix_customer_versions_mobile_hash"), "customer_versions", ["mobile_hash"]
    )
    op.execute(
        "INSERT INTO customer_versions (id, customer_id, version, kind, name_enc, name_masked,"
        " mobile_enc, mobile_hash, mobile_masked, region_code, created_at, created_by_id)"
        " SELECT id, id, 1, kind, name_enc, name_masked, mobile_enc, mobile_hash, mobile_masked,"
        " region_code, updated_at, NULL FROM customers"
    )
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with its reference in place; batch mode would rebuild the table,
        # which foreign keys from photos and risk_decisions forbid.
        op.execute(
            "ALTER TABLE applications ADD COLUMN customer_version_id VARCHAR(32)"
            f" CONSTRAINT {FK} REFERENCES customer_versions (id)"
        )
    else:
        op.add_column(
            "applications", sa.Column("customer_version_id", sa.String(length=32), nullable=True)
        )
        op.create_foreign_key(
            FK, "applications", "customer_versions", ["customer_version_id"], ["id"]
        )
    op.create_index(IX, "applications", ["customer_version_id"])
    op.execute(
        "UPDATE applications SET customer_version_id = customer_id WHERE customer_id IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_index(IX, table_name="applications")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot drop a column that references another table: rebuild applications, with
        # the references to it checked at commit rather than when the old table goes.
        op.execute("PRAGMA defer_foreign_keys = ON")
        with op.batch_alter_table("applications", recreate="always") as batch_op:
            batch_op.drop_column("customer_version_id")
    else:
        op.drop_constraint(FK, "applications", type_="foreignkey")
        op.drop_column("applications", "customer_version_id")
    op.drop_index(op.f("ix_customer_versions_mobile_hash"), table_name="customer_versions")
    op.drop_index(op.f("ix_customer_versions_customer_id"), table_name="customer_versions")
    op.drop_table("customer_versions")
