"""analyses index for the map's town counts (core.map_items.map_picture)

Revision ID: 0015_map_town_counts
Revises: 0014_drill_run_owner

The map draws a time window of markers and counts the other posts per town in
SQL (GROUP BY ward, place of the analyses placed to a town or address). This
index holds every column that query reads of ``analyses``, so the count scans
only the town-placed rows of the index and joins each to its post by key.
"""
from alembic import op

revision = '0015_map_town_counts'
down_revision = '0014_drill_run_owner'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_analyses_town', 'analyses', ['precision', 'ward', 'place', 'lat', 'lon', 'post_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_analyses_town', table_name='analyses')
