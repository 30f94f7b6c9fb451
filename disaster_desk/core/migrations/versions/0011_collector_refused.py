"""collector status: posts refused by the last run

Revision ID: 0011_collector_refused
Revises: 0010_analysis_status

``collector_status.refused`` counts the posts the last run of a collector left
behind (invalid, or refused by the database); ``last_refused`` names the last
one (``source/id: reason``). The run's checkpoint moves past them.
"""
import sqlalchemy as sa
from alembic import op

revision = '0011_collector_refused'
down_revision = '0010_analysis_status'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('collector_status', schema=None) as batch_op:
        batch_op.add_column(sa.Column('refused', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('last_refused', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('collector_status', schema=None) as batch_op:
        batch_op.drop_column('last_refused')
        batch_op.drop_column('refused')
