"""auth hardening: retired refresh tokens, spent upload tokens, login throttle counters

Replaces `login_failures` (which kept the typed usernames) with `login_throttle`, counter rows
keyed by a keyed hash. The downgrade recreates an empty `login_failures`.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 19:59:57.192667
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('login_throttle',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('scope', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('window_ends', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle'))
    )
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_throttle_window_ends'), ['window_ends'], unique=False)

    op.create_table('upload_tokens_spent',
    sa.Column('jti', sa.String(length=32), nullable=False),
    sa.Column('application_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('spent_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('jti', name=op.f('pk_upload_tokens_spent'))
    )
    op.create_table('auth_refresh_retired',
    sa.Column('refresh_hash', sa.String(length=64), nullable=False),
    sa.Column('session_id', sa.String(length=32), nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['auth_sessions.id'], name=op.f('fk_auth_refresh_retired_session_id_auth_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('refresh_hash', name=op.f('pk_auth_refresh_retired'))
    )
    with op.batch_alter_table('auth_refresh_retired', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auth_refresh_retired_session_id'), ['session_id'], unique=False)

    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_login_failures_username_at')

    op.drop_table('login_failures')


def downgrade() -> None:
    op.create_table('login_failures',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failures'))
    )
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.create_index('ix_login_failures_username_at', ['username', 'at'], unique=False)

    with op.batch_alter_table('auth_refresh_retired', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auth_refresh_retired_session_id'))

    op.drop_table('auth_refresh_retired')
    op.drop_table('upload_tokens_spent')
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_throttle_window_ends'))

    op.drop_table('login_throttle')
