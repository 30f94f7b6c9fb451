"""the audit chain head for every login (PostgreSQL)

Revision ID: 0018_audit_head
Revises: 0017_audit_chain

PostgreSQL only: reinstalls core/pg_security.py's SQL (idempotent), which now
holds ``dd_audit_head()``, a SECURITY DEFINER function returning the newest
``seq`` and ``hash`` of the whole chain, so a ward or drill login (whose
row-level security shows it only some audit rows) puts the real chain head in
its after-action report.
"""
from alembic import op

revision = '0018_audit_head'
down_revision = '0017_audit_chain'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        from disaster_desk.core.pg_security import SCHEMA_SQL

        op.execute(SCHEMA_SQL)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP FUNCTION IF EXISTS dd_audit_head()")
