"""analysis status, confidence and labels to confirm (issue 17)

Revision ID: 0010_analysis_status
Revises: 0009_analysis_outcome

Additive: three nullable columns on ``analyses``. ``status`` is the event status the
analyser reads (ongoing / resolved / elsewhere / advice / hypothetical), ``confidence`` the
learned model's probability per label, ``review`` the labels an operator should confirm
(``["rescue"]``: a possible rescue, 要確認). Rows analysed before stay NULL until
``nlp reanalyze``.
"""
import sqlalchemy as sa
from alembic import op

revision = '0010_analysis_status'
down_revision = '0009_analysis_outcome'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('analyses') as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('confidence', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('review', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('analyses') as batch_op:
        batch_op.drop_column('review')
        batch_op.drop_column('confidence')
        batch_op.drop_column('status')
