"""contracts: the contract with its unsigned and sealed documents, template versions, funders'
machine keys, yearly number sequences

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contracts",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("application_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("organisation_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("template_id", sa.String(length=40), nullable=False),
        sa.Column("template_version", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("principal_fen", sa.BigInteger(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("signed_pdf", sa.LargeBinary(), nullable=True),
        sa.Column("signed_sha256", sa.String(length=64), nullable=True),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("sign_intent", sa.JSON(), nullable=True),
        sa.Column("funder_id", sa.String(length=32), nullable=True),
        sa.Column("funded_fen", sa.BigInteger(), nullable=True),
        sa.Column("value_date", sa.Date(), nullable=True),
        sa.Column("funding_reference", sa.String(length=64), nullable=True),
        sa.Column("activated_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name=op.f("fk_contracts_application_id_applications")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"],
                                name=op.f("fk_contracts_customer_id_customers")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_contracts_organisation_id_organisations")),
        sa.ForeignKeyConstraint(["funder_id"], ["organisations.id"],
                                name=op.f("fk_contracts_funder_id_organisations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contracts")),
        sa.UniqueConstraint("application_id", name=op.f("uq_contracts_application_id")),
        sa.UniqueConstraint("number", name=op.f("uq_contracts_number")),
    )  # fmt: skip
    op.create_index("ix_contracts_customer_id", "contracts", ["customer_id"])
    op.create_index("ix_contracts_organisation_id", "contracts", ["organisation_id"])
    op.create_index("ix_contracts_status", "contracts", ["status"])
    op.create_index("ix_contracts_signed_sha256", "contracts", ["signed_sha256"])
    op.create_table(
        "contract_template_versions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("template_id", sa.String(length=40), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_template_versions")),
        sa.UniqueConstraint("template_id", "number",
                            name=op.f("uq_contract_template_versions_template_id_number")),
    )  # fmt: skip
    op.create_table(
        "funder_keys",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("organisation_id", sa.String(length=32), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_funder_keys_organisation_id_organisations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funder_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_funder_keys_key_hash")),
    )  # fmt: skip
    op.create_index("ix_funder_keys_organisation_id", "funder_keys", ["organisation_id"])
    op.create_table(
        "number_sequences",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_number_sequences")),
    )


def downgrade() -> None:
    op.drop_table("number_sequences")
    op.drop_index("ix_funder_keys_organisation_id", table_name="funder_keys")
    op.drop_table("funder_keys")
    op.drop_table("contract_template_versions")
    for name in ("signed_sha256", "status", "organisation_id", "customer_id"):
        op.drop_index(f"ix_contracts_{name}", table_name="contracts")
    op.drop_table("contracts")
