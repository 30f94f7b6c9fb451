"""queue index for one ward (ward station view / ward filter)

Revision ID: 0006_queue_ward_index
Revises: 0005_queue_counts_clustered
"""
from alembic import op

revision = '0006_queue_ward_index'
down_revision = '0005_queue_counts_clustered'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain CREATE INDEX (no batch table copy: that would drop the queue_counts triggers on SQLite).
    op.create_index('ix_posts_queue_ward', 'posts', ['mode', 'run_id', 'ward', 'urgency', 'collected_at', 'id',
                                                     'duplicate_of', 'label_mask', 'state', 'source'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_posts_queue_ward', table_name='posts')
