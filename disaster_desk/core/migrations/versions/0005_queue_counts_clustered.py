"""queue_counts as a WITHOUT ROWID table on SQLite (sums read the primary key only)

Revision ID: 0005_queue_counts_clustered
Revises: 0004_queue_counts
"""
import sqlalchemy as sa
from alembic import op

revision = '0005_queue_counts_clustered'
down_revision = '0004_queue_counts'
branch_labels = None
depends_on = None

COLUMNS = "mode, run_id, urgency, label_mask, ward, state, source, n"


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    # Not RENAME: SQLite would repoint the posts triggers at the renamed table.
    op.drop_table('queue_counts')
    op.create_table('queue_counts',
    sa.Column('mode', sa.String(length=8), nullable=False),
    sa.Column('run_id', sa.String(length=64), nullable=False),
    sa.Column('urgency', sa.Integer(), nullable=False),
    sa.Column('label_mask', sa.Integer(), nullable=False),
    sa.Column('ward', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('mode', 'run_id', 'urgency', 'label_mask', 'ward', 'state', 'source',
                            name=op.f('pk_queue_counts')),
    sqlite_with_rowid=False,
    )
    op.execute(
        f"INSERT INTO queue_counts ({COLUMNS}) SELECT mode, run_id, urgency, label_mask, coalesce(ward, ''),"
        " state, source, count(*) FROM posts WHERE urgency IS NOT NULL AND duplicate_of IS NULL"
        " GROUP BY mode, run_id, urgency, label_mask, coalesce(ward, ''), state, source"
    )


def downgrade() -> None:
    pass  # a rowid table and a WITHOUT ROWID one hold the same rows
