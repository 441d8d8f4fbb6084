"""notice reach: the way each person was reached, who was missed and why, and members the bot
cannot write to

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 07:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unreachable', sa.String(length=20), nullable=True))
    # Members the bot had already stopped writing to blocked it (the commonest reason).
    op.execute("UPDATE member SET unreachable = 'blocked' WHERE NOT active")

    with op.batch_alter_table('notice_audience', schema=None) as batch_op:
        # Audiences fixed before ways were recorded: the group is the way most notices went.
        batch_op.add_column(
            sa.Column('way', sa.String(length=8), nullable=False, server_default='group')
        )

    op.create_table('notice_missed',
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('department', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('notice_id', 'member_id')
    )


def downgrade() -> None:
    op.drop_table('notice_missed')
    with op.batch_alter_table('notice_audience', schema=None) as batch_op:
        batch_op.drop_column('way')
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_column('unreachable')
