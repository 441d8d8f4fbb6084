"""console logins: one-time desktop login links (only a hash of each secret)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-10 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('console_login',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('telegram_id', sa.BigInteger(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('token_hash')
    )
    with op.batch_alter_table('console_login', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_console_login_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_console_login_telegram_id'), ['telegram_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('console_login', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_console_login_telegram_id'))
        batch_op.drop_index(batch_op.f('ix_console_login_expires_at'))
    op.drop_table('console_login')
