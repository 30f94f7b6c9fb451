"""row-level security's station functions in plpgsql (PostgreSQL)

Revision ID: 0020_station_functions_plpgsql
Revises: 0019_share_receipts

PostgreSQL only: reinstalls core/pg_security.py's SQL (idempotent), where
``dd_station_role`` and ``dd_station_ward`` — called by every policy once per
statement — are now plpgsql (their query planned once per session) instead of
sql (a SECURITY DEFINER sql function is never inlined and re-plans its query on
each call). bench stations: a collector login's bare insert 0.5k → 2k rows/s.
"""
from alembic import op

revision = '0020_station_functions_plpgsql'
down_revision = '0019_share_receipts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        from disaster_desk.core.pg_security import SCHEMA_SQL

        op.execute(SCHEMA_SQL)


def downgrade() -> None:
    pass  # the functions do the same in either language
