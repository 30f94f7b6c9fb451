"""stations: one row per PostgreSQL login (station), with its role and ward

Revision ID: 0013_stations
Revises: 0012_changes

``name`` is the PostgreSQL login name; ``role`` one of hq, ward, collector,
drill, viewer; ``ward`` the ward of a ward station. Written by
``disaster-desk admin add-station`` and read by row-level security policies
(a ward login sees only its ward) and by the client (``core.stations``). On
SQLite the table exists but is unused: one station, settings give its role.
"""
import sqlalchemy as sa
from alembic import op

revision = '0013_stations'
down_revision = '0012_changes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'stations',
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('role', sa.Text(), nullable=False),
        sa.Column('ward', sa.Text(), nullable=True),
        sa.Column('display_name', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("role IN ('hq', 'ward', 'collector', 'drill', 'viewer')",
                           name=op.f('ck_stations_role')),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_stations')),
    )


def downgrade() -> None:
    op.drop_table('stations')
