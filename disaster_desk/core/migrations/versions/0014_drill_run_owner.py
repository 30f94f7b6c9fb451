"""drill runs: the process that plays a run (host, pid) and its heartbeat

Revision ID: 0014_drill_run_owner
Revises: 0013_stations

A run left ``running`` by a process that died (killed, power cut) is marked
``interrupted`` when the next app, CLI command or drill engine starts
(drills.runs.mark_interrupted): on the same host when its ``pid`` is gone, from
another host when ``heartbeat_at`` is older than the limit. Rows from before
this migration have no owner and are judged by their heartbeat/start time.
"""
import sqlalchemy as sa
from alembic import op

revision = '0014_drill_run_owner'
down_revision = '0013_stations'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('drill_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('host', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('pid', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('drill_runs', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('pid')
        batch_op.drop_column('host')
