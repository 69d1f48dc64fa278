"""partner webhooks: endpoints of logistics companies and insurers, a contract's partners and
their contacts, the delivery outbox with its attempts, partner SMS, the demo receiver's inbox

Revision ID: 0015_partner_webhooks
Revises: 0014_monitoring
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend.db.base import UTCDateTime

revision = "0015_partner_webhooks"
down_revision = "0014_monitoring"
branch_labels = None
depends_on = None


def _id() -> sa.Column[str]:
    return sa.Column("id", sa.String(length=32), nullable=False)


def _fk(
    table: str, column: str, target: str, ondelete: str | None = None
) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "webhook_endpoints",
        _id(),
        sa.Column("organisation_id", sa.String(length=32), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("secret_enc", sa.String(length=200), nullable=False),
        sa.Column("previous_secret_enc", sa.String(length=200), nullable=True),
        sa.Column("previous_secret_expires_at", UTCDateTime(), nullable=True),
        sa.Column("secret_rotated_at", UTCDateTime(), nullable=True),
        sa.Column("event_types", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        _fk("webhook_endpoints", "organisation_id", "organisations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_endpoints")),
    )
    op.create_index(
        op.f("ix_webhook_endpoints_organisation_id"), "webhook_endpoints", ["organisation_id"]
    )
    op.create_table(
        "contract_partners",
        _id(),
        sa.Column("contract_id", sa.String(length=32), nullable=False),
        sa.Column("organisation_id", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("contact_name_enc", sa.String(length=400), nullable=False),
        sa.Column("contact_mobile_enc", sa.String(length=200), nullable=False),
        sa.Column("sms_event_types", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        _fk("contract_partners", "contract_id", "contracts"),
        _fk("contract_partners", "organisation_id", "organisations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_partners")),
        sa.UniqueConstraint(
            "contract_id", "role", name=op.f("uq_contract_partners_contract_id_role")
        ),
    )
    op.create_index(op.f("ix_contract_partners_contract_id"), "contract_partners", ["contract_id"])
    op.create_index(
        op.f("ix_contract_partners_organisation_id"), "contract_partners", ["organisation_id"]
    )
    op.create_table(
        "webhook_deliveries",
        _id(),
        sa.Column("endpoint_id", sa.String(length=32), nullable=False),
        sa.Column("organisation_id", sa.String(length=32), nullable=False),
        sa.Column("contract_id", sa.String(length=32), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("total_attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error_code", sa.String(length=40), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("delivered_at", UTCDateTime(), nullable=True),
        _fk("webhook_deliveries", "endpoint_id", "webhook_endpoints"),
        _fk("webhook_deliveries", "organisation_id", "organisations"),
        _fk("webhook_deliveries", "contract_id", "contracts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
        sa.UniqueConstraint(
            "endpoint_id", "event_id", name=op.f("uq_webhook_deliveries_endpoint_id_event_id")
        ),
    )
    op.create_index(
        op.f("ix_webhook_deliveries_endpoint_id"), "webhook_deliveries", ["endpoint_id"]
    )
    op.create_index(
        op.f("ix_webhook_deliveries_contract_id"), "webhook_deliveries", ["contract_id"]
    )
    op.create_index(op.f("ix_webhook_deliveries_event_id"), "webhook_deliveries", ["event_id"])
    op.create_index(
        "ix_webhook_deliveries_due", "webhook_deliveries", ["status", "next_attempt_at"]
    )
    op.create_table(
        "webhook_attempts",
        _id(),
        sa.Column("delivery_id", sa.String(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error_code", sa.String(length=40), nullable=True),
        sa.Column("error", sa.String(length=300), nullable=True),
        _fk("webhook_attempts", "delivery_id", "webhook_deliveries"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_attempts")),
        sa.UniqueConstraint(
            "delivery_id", "number", name=op.f("uq_webhook_attempts_delivery_id_number")
        ),
    )
    op.create_index(op.f("ix_webhook_attempts_delivery_id"), "webhook_attempts", ["delivery_id"])
    op.create_table(
        "partner_sms",
        _id(),
        sa.Column("contract_partner_id", sa.String(length=32), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        _fk("partner_sms", "contract_partner_id", "contract_partners", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_sms")),
        sa.UniqueConstraint(
            "contract_partner_id",
            "event_id",
            name=op.f("uq_partner_sms_contract_partner_id_event_id"),
        ),
    )
    op.create_index(
        op.f("ix_partner_sms_contract_partner_id"), "partner_sms", ["contract_partner_id"]
    )
    op.create_table(
        "demo_webhook_receipts",
        _id(),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=True),
        sa.Column("event_type", sa.String(length=100), nullable=True),
        sa.Column("signature", sa.String(length=1024), nullable=True),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demo_webhook_receipts")),
    )
    op.create_index(op.f("ix_demo_webhook_receipts_name"), "demo_webhook_receipts", ["name"])
    op.create_index(
        op.f("ix_demo_webhook_receipts_received_at"), "demo_webhook_receipts", ["received_at"]
    )


def downgrade() -> None:
    op.drop_table("demo_webhook_receipts")
    op.drop_table("partner_sms")
    op.drop_table("webhook_attempts")
    op.drop_table("webhook_deliveries")
    op.drop_table("contract_partners")
    op.drop_table("webhook_endpoints")
