"""queue keys on posts: urgency, label_mask, ward + covering queue index

Revision ID: 0003_queue_keys
Revises: 0002_collector_status
"""
import json

import sqlalchemy as sa
from alembic import op

revision = '0003_queue_keys'
down_revision = '0002_collector_status'
branch_labels = None
depends_on = None

LABELS = ("rescue", "casualty", "fire", "building", "flood", "lifeline",
          "transport", "evacuation", "supplies", "safety", "none")


def upgrade() -> None:
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('urgency', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('label_mask', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('ward', sa.String(length=16), nullable=True))
        batch_op.create_index('ix_posts_queue', ['mode', 'run_id', 'urgency', 'collected_at', 'id', 'duplicate_of',
                                                 'label_mask', 'ward', 'state', 'source'], unique=False)
    # Backfill from existing analyses.
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT post_id, labels, urgency, ward FROM analyses")).fetchall()
    for post_id, labels, urgency, ward in rows:
        if isinstance(labels, str):
            labels = json.loads(labels)
        mask = sum(1 << LABELS.index(x) for x in set(labels or ()) if x in LABELS)
        conn.execute(sa.text("UPDATE posts SET urgency=:u, label_mask=:m, ward=:w WHERE id=:i"),
                     {"u": urgency, "m": mask, "w": ward, "i": post_id})


def downgrade() -> None:
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index('ix_posts_queue')
        batch_op.drop_column('ward')
        batch_op.drop_column('label_mask')
        batch_op.drop_column('urgency')
