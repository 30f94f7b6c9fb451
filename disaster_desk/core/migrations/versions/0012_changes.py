"""changes: what each service transaction changed, read by id by other processes

Revision ID: 0012_changes
Revises: 0011_collector_refused

One row per change (``core.changes.Change``): kind, scope and the item keys.
Written in the transaction that makes the change; SQLite stations read it by
id, PostgreSQL stations hear the same change by NOTIFY and read the table only
to catch up after a lost connection.
"""
import sqlalchemy as sa
from alembic import op

revision = '0012_changes'
down_revision = '0011_collector_refused'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('mode', sa.String(length=8), nullable=False),
        sa.Column('run_id', sa.String(length=64), nullable=False),
        sa.Column('keys', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_changes')),
    )


def downgrade() -> None:
    op.drop_table('changes')
