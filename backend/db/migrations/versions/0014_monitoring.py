"""monitoring: terminals, each contract's monitoring plan, positions (partitioned by day on
PostgreSQL, with a default partition for days not yet made), rule state per terminal, alerts

Revision ID: 0014_monitoring
Revises: 0013_refunds
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from backend.db.base import UTCDateTime

revision = "0014_monitoring"
down_revision = "0013_refunds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "positions",
        sa.Column("terminal_id", sa.String(length=32), nullable=False),
        sa.Column("fix_time", UTCDateTime(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("road", sa.String(length=6), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("speed_kmh", sa.Float(), nullable=False),
        sa.Column("heading", sa.SmallInteger(), nullable=False),
        sa.Column("altitude_m", sa.Integer(), nullable=False),
        sa.Column("accuracy_m", sa.Float(), nullable=True),
        sa.Column("satellites", sa.SmallInteger(), nullable=True),
        sa.Column("ignition", sa.Boolean(), nullable=True),
        sa.Column("tamper", sa.String(length=60), nullable=False),
        sa.Column("implausible", sa.String(length=20), nullable=True),
        sa.PrimaryKeyConstraint("terminal_id", "fix_time", name=op.f("pk_positions")),
        postgresql_partition_by="RANGE (fix_time)",
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE TABLE positions_default PARTITION OF positions DEFAULT")
    op.create_table(
        "monitoring_plans",
        sa.Column("contract_id", sa.String(length=32), nullable=False),
        sa.Column("profile", sa.String(length=20), nullable=False),
        sa.Column("route", sa.JSON(), nullable=True),
        sa.Column("half_width_m", sa.Integer(), nullable=False),
        sa.Column("regions", sa.JSON(), nullable=True),
        sa.Column("schedule", sa.JSON(), nullable=True),
        sa.Column("lessee_sees_position", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_monitoring_plans_contract_id_contracts"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_monitoring_plans_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("contract_id", name=op.f("pk_monitoring_plans")),
    )
    op.create_table(
        "terminals",
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("imei", sa.String(length=17), nullable=False),
        sa.Column("sim", sa.String(length=20), nullable=True),
        sa.Column("vin", sa.String(length=17), nullable=False),
        sa.Column("contract_id", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("auth_code", sa.String(length=32), nullable=True),
        sa.Column("registered_at", UTCDateTime(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_terminals_contract_id_contracts")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_terminals_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_terminals")),
        sa.UniqueConstraint("imei", name=op.f("uq_terminals_imei")),
        sa.UniqueConstraint("phone", name=op.f("uq_terminals_phone")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_terminals_token_hash")),
    )
    with op.batch_alter_table("terminals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_terminals_contract_id"), ["contract_id"], unique=False)

    op.create_table(
        "monitoring_alerts",
        sa.Column("contract_id", sa.String(length=32), nullable=False),
        sa.Column("terminal_id", sa.String(length=32), nullable=False),
        sa.Column("vin", sa.String(length=17), nullable=False),
        sa.Column("type", sa.String(length=12), nullable=False),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("open_key", sa.String(length=48), nullable=True),
        sa.Column("condition_ended_at", UTCDateTime(), nullable=True),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        sa.Column("acknowledged_by", sa.String(length=32), nullable=True),
        sa.Column("acknowledged_at", UTCDateTime(), nullable=True),
        sa.Column("resolved_by", sa.String(length=32), nullable=True),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["acknowledged_by"],
            ["users.id"],
            name=op.f("fk_monitoring_alerts_acknowledged_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_monitoring_alerts_contract_id_contracts"),
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by"], ["users.id"], name=op.f("fk_monitoring_alerts_resolved_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["terminal_id"],
            ["terminals.id"],
            name=op.f("fk_monitoring_alerts_terminal_id_terminals"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_alerts")),
        sa.UniqueConstraint("open_key", name=op.f("uq_monitoring_alerts_open_key")),
    )
    with op.batch_alter_table("monitoring_alerts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitoring_alerts_contract_id"), ["contract_id"], unique=False
        )
        batch_op.create_index(
            "ix_monitoring_alerts_status_opened", ["status", "opened_at"], unique=False
        )

    op.create_table(
        "monitoring_rule_states",
        sa.Column("terminal_id", sa.String(length=32), nullable=False),
        sa.Column("last_fix", sa.JSON(), nullable=True),
        sa.Column("last_seen_at", UTCDateTime(), nullable=True),
        sa.Column("states", sa.JSON(), nullable=False),
        sa.Column("plan_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["terminal_id"],
            ["terminals.id"],
            name=op.f("fk_monitoring_rule_states_terminal_id_terminals"),
        ),
        sa.PrimaryKeyConstraint("terminal_id", name=op.f("pk_monitoring_rule_states")),
    )


    op.create_table(
        "monitoring_zones",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("radius_m", sa.Float(), nullable=False),
        sa.Column("hours", sa.JSON(), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_zones")),
    )


def downgrade() -> None:
    op.drop_table("monitoring_zones")
    op.drop_table("monitoring_rule_states")
    with op.batch_alter_table("monitoring_alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_monitoring_alerts_status_opened")
        batch_op.drop_index(batch_op.f("ix_monitoring_alerts_contract_id"))

    op.drop_table("monitoring_alerts")
    with op.batch_alter_table("terminals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_terminals_contract_id"))

    op.drop_table("terminals")
    op.drop_table("monitoring_plans")
    op.drop_table("positions")
