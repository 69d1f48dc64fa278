"""the parties of a lease: a company customer's authorised person 授权代表 (name and resident
ID, encrypted and masked) on the customer and each version of its details; an application's
guarantor 保证人 (encrypted, with a masked copy)

Revision ID: 0012_parties
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_parties"
down_revision = "0011"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("representative_name_enc", 400),
    ("representative_name_masked", 100),
    ("representative_id_enc", 200),
    ("representative_id_masked", 40),
)


def upgrade() -> None:
    for table in ("customers", "customer_versions"):
        with op.batch_alter_table(table) as batch:
            for name, length in _COLUMNS:
                batch.add_column(sa.Column(name, sa.String(length=length), nullable=True))
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("guarantor_enc", sa.Text(), nullable=True))
        batch.add_column(sa.Column("guarantor_masked", sa.JSON(), nullable=True))


def downgrade() -> None:
    # A plain DROP COLUMN on both engines (SQLite >= 3.35): no rebuild of customers, which
    # users and applications reference.
    for name in ("guarantor_masked", "guarantor_enc"):
        op.execute(f"ALTER TABLE applications DROP COLUMN {name}")
    for table in ("customer_versions", "customers"):
        for name, _ in reversed(_COLUMNS):
            op.execute(f"ALTER TABLE {table} DROP COLUMN {name}")
