"""vote electorate: how many could vote, counted when the vote closed

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Votes closed before this column keep NULL: their electorate is counted as it is now,
    # which is all that can be known of it.
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.add_column(sa.Column('electorate', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.drop_column('electorate')
