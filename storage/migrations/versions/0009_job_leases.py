"""job leases and worker presence: several instances share the jobs and the flood limit

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('job_lease',
    sa.Column('job', sa.String(length=32), nullable=False),
    sa.Column('slot', sa.String(length=32), nullable=False),
    sa.Column('instance', sa.String(length=40), nullable=False),
    sa.Column('at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('job', 'slot')
    )
    with op.batch_alter_table('job_lease', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_lease_at'), ['at'], unique=False)

    op.create_table('worker_presence',
    sa.Column('instance', sa.String(length=40), nullable=False),
    sa.Column('seen_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('instance')
    )
    with op.batch_alter_table('worker_presence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_worker_presence_seen_at'), ['seen_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('worker_presence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_worker_presence_seen_at'))
    op.drop_table('worker_presence')
    with op.batch_alter_table('job_lease', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_lease_at'))
    op.drop_table('job_lease')
