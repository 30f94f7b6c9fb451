"""share receipts: 受領 of a share by the ward it was shared with, and the sender's login

Revision ID: 0019_share_receipts
Revises: 0018_audit_head

Both engines: ``share_events`` gets ``shared_login`` (the sender's database
login beside the person in ``actor``), ``received_at``, ``received_by`` (the
receiver's login; the person on SQLite) and ``received_name`` (the person).

PostgreSQL (SQL in core/pg_security.py, shared with ``admin init``): a BEFORE
trigger sets ``shared_login`` and ``received_by`` to ``session_user`` and
refuses a second receipt or a changed one. Who may record a receipt is the
GRANT (a ward login: UPDATE of the receipt columns only) and the share_events
policy of 0017 (a ward login sees and writes only shares to its own ward);
the 0017 audit trigger audits a receipt made by raw SQL.
"""
import sqlalchemy as sa
from alembic import op

revision = '0019_share_receipts'
down_revision = '0018_audit_head'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('share_events') as batch:
        batch.add_column(sa.Column('shared_login', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('received_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('received_by', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('received_name', sa.String(length=200), nullable=True))
    if op.get_bind().dialect.name == 'postgresql':
        from disaster_desk.core.pg_security import RECEIPT_SQL

        op.execute(RECEIPT_SQL)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        from disaster_desk.core.pg_security import RECEIPT_DROP_SQL

        op.execute(RECEIPT_DROP_SQL)
    with op.batch_alter_table('share_events') as batch:
        for name in ('received_name', 'received_by', 'received_at', 'shared_login'):
            batch.drop_column(name)
