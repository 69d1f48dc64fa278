"""lessee accounts: users bound to a customer and a mobile number, one-time codes, the sandbox
SMS outbox

`users` gains the lessee's customer, the invited mobile number (encrypted, with its keyed hash)
and when the lessee was invited and first proved their identity; `otp_codes` keeps the live code
of each (mobile, purpose) as a keyed hash with its attempts and the hour's issue count;
`sms_outbox` is what the sandbox SMS provider sent (mobile and text encrypted).

Revision ID: 0009
Revises: 0008 (to be re-chained onto 0008 when the ledger's migration lands)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

FK = "fk_users_customer_id_customers"
LESSEE_COLUMNS = ("mobile_enc", "mobile_hash", "invited_at", "bound_at")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with its reference in place; batch mode would rebuild users,
        # which the foreign keys from sessions and applications forbid.
        op.execute(
            "ALTER TABLE users ADD COLUMN customer_id VARCHAR(32)"
            f" CONSTRAINT {FK} REFERENCES customers (id)"
        )
    else:
        op.add_column("users", sa.Column("customer_id", sa.String(length=32), nullable=True))
        op.create_foreign_key(FK, "users", "customers", ["customer_id"], ["id"])
    op.add_column("users", sa.Column("mobile_enc", sa.String(length=200), nullable=True))
    op.add_column("users", sa.Column("mobile_hash", sa.String(length=64), nullable=True))
    op.add_column("users", sa.Column("invited_at", sa.DateTime(), nullable=True))
    op.add_column("users", sa.Column("bound_at", sa.DateTime(), nullable=True))
    op.create_index("ix_users_customer_id", "users", ["customer_id"], unique=True)
    op.create_index("ix_users_mobile_hash", "users", ["mobile_hash"], unique=True)

    op.create_table(
        "otp_codes",
        sa.Column("purpose", sa.String(length=80), nullable=False),
        sa.Column("mobile_hash", sa.String(length=64), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("window_ends", sa.DateTime(), nullable=False),
        sa.Column("issued_in_window", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_otp_codes")),
        sa.UniqueConstraint(
            "mobile_hash", "purpose", name=op.f("uq_otp_codes_mobile_hash_purpose")
        ),
    )
    op.create_index(op.f("ix_otp_codes_window_ends"), "otp_codes", ["window_ends"])

    op.create_table(
        "sms_outbox",
        sa.Column("mobile_hash", sa.String(length=64), nullable=False),
        sa.Column("mobile_enc", sa.String(length=200), nullable=False),
        sa.Column("text_enc", sa.Text(), nullable=False),
        sa.Column("purpose", sa.String(length=80), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_outbox")),
    )
    op.create_index(op.f("ix_sms_outbox_mobile_hash"), "sms_outbox", ["mobile_hash"])
    op.create_index(op.f("ix_sms_outbox_sent_at"), "sms_outbox", ["sent_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_sms_outbox_sent_at"), table_name="sms_outbox")
    op.drop_index(op.f("ix_sms_outbox_mobile_hash"), table_name="sms_outbox")
    op.drop_table("sms_outbox")
    op.drop_index(op.f("ix_otp_codes_window_ends"), table_name="otp_codes")
    op.drop_table("otp_codes")
    op.drop_index("ix_users_mobile_hash", table_name="users")
    op.drop_index("ix_users_customer_id", table_name="users")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_users_without_lessee_columns()
    else:
        op.drop_constraint(FK, "users", type_="foreignkey")
        op.drop_column("users", "customer_id")
        for column in LESSEE_COLUMNS:
            op.drop_column("users", column)


def _rebuild_users_without_lessee_columns() -> None:
    """SQLite cannot drop a column that references another table, and rebuilding users with
    foreign keys on fails on the first session row (DROP TABLE deletes the rows their references
    need; deferring does not help, the copy went into another table name). So, SQLite's own
    recipe: foreign keys off -- which SQLite allows only outside a transaction; pysqlite opens
    one at the first DML statement, so a no-op UPDATE makes sure one is open and COMMIT ends it
    --, rebuild, check every reference, foreign keys on again."""
    bind = op.get_bind()
    op.execute("UPDATE alembic_version SET version_num = version_num")
    op.execute("COMMIT")
    op.execute("PRAGMA foreign_keys = OFF")
    with op.batch_alter_table("users", recreate="always") as batch_op:
        batch_op.drop_column("customer_id")
        for column in LESSEE_COLUMNS:
            batch_op.drop_column(column)
    broken = bind.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise RuntimeError(f"references broken by rebuilding users: {broken[:5]}")
    op.execute("COMMIT")
    op.execute("PRAGMA foreign_keys = ON")
