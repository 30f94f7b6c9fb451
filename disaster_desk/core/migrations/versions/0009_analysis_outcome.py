"""analysis outcome: text cut to the tokenizer's limit, failed analyses

Revision ID: 0009_analysis_outcome
Revises: 0008_post_search_hours

``analyses.truncated_bytes``: the normalised text's size in UTF-8 bytes when
analysis had to cut it to what the Sudachi tokenizer accepts (NULL: not cut).
``analyses.error``: why the analysis of this post failed (NULL: it did not);
such a post is shown in the queue as 未解析 and retried by ``nlp reanalyze``.
"""
import sqlalchemy as sa
from alembic import op

revision = '0009_analysis_outcome'
down_revision = '0008_post_search_hours'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('analyses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('truncated_bytes', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('error', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('analyses', schema=None) as batch_op:
        batch_op.drop_column('error')
        batch_op.drop_column('truncated_bytes')
