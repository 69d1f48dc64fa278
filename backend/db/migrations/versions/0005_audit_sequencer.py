"""audit log without a global lock: appends are plain inserts, a sequencer links them; signed
checkpoints

Existing events keep their hashes: they were chained with position == seq, which the new hash
formula (position in place of seq) reproduces.

Revision ID: 0005
Revises: 0004
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

_BIG = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position', _BIG, nullable=True))
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=True)
        batch_op.create_unique_constraint(op.f('uq_audit_events_position'), ['position'])
    op.execute('UPDATE audit_events SET position = seq')
    if op.get_bind().dialect.name == 'postgresql':  # seq was assigned by the appender until now
        op.execute(
            "SELECT setval(pg_get_serial_sequence('audit_events', 'seq'), "
            "COALESCE((SELECT MAX(seq) FROM audit_events), 0) + 1, false)"
        )
    op.create_table('audit_checkpoints',
    sa.Column('position', _BIG, autoincrement=False, nullable=False),
    sa.Column('head_hash', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('key_id', sa.String(length=16), nullable=False),
    sa.Column('signature', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('position', name=op.f('pk_audit_checkpoints'))
    )


def downgrade() -> None:
    op.drop_table('audit_checkpoints')
    op.execute('DELETE FROM audit_events WHERE position IS NULL')  # never linked: cannot chain
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('uq_audit_events_position'), type_='unique')
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_column('position')
