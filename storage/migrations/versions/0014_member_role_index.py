"""member role index: the cadres and admins found without reading every member

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 11:30:00
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_member_role', 'member', ['role'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_member_role', table_name='member')
