"""audit chain, database-written audit, row-level security (PostgreSQL)

Revision ID: 0017_audit_chain
Revises: 0016_seed_shelters

Both engines: audit_log gets ``display_name`` (the person beside the login),
``seq``/``prev_hash``/``hash`` (the hash chain of core.audit_chain, existing
rows chained in id order here) and ``txid``.

PostgreSQL only (the SQL is in core/pg_security.py, shared with ``admin init``):
- a BEFORE INSERT trigger on audit_log forcing ``actor = session_user``
  (an app-given actor moves to display_name) and computing the chain under an
  advisory transaction lock;
- triggers refusing UPDATE, DELETE and TRUNCATE of audit_log;
- deferred triggers auditing every change of triage state, report, share and
  incident assignment that the transaction did not audit itself (raw SQL);
- row-level security (ENABLE + FORCE) keyed by the login's stations row.
"""
import sqlalchemy as sa
from alembic import op

revision = '0017_audit_chain'
down_revision = '0016_seed_shelters'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_log') as batch:
        batch.add_column(sa.Column('display_name', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('txid', sa.BigInteger(), nullable=True))
        batch.create_unique_constraint(batch.f('uq_audit_log_seq'), ['seq'])
        batch.create_index(batch.f('ix_audit_log_txid'), ['txid'], unique=False)
    _chain_existing_rows()
    if op.get_bind().dialect.name == 'postgresql':
        from disaster_desk.core.pg_security import SCHEMA_SQL

        op.execute(SCHEMA_SQL)


def _chain_existing_rows() -> None:
    from disaster_desk.core.audit_chain import FIELDS, row_hash

    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT id, at, actor, display_name, action, item_type, item_id, mode, run_id, "
        "CAST(\"before\" AS TEXT) AS \"before\", CAST(\"after\" AS TEXT) AS \"after\" FROM audit_log ORDER BY id"
    )).all()
    prev = None
    for seq, row in enumerate(rows, start=1):
        values = {name: getattr(row, name) for name in FIELDS if name != 'seq'}
        if isinstance(values['at'], str):
            from datetime import datetime

            values['at'] = datetime.fromisoformat(values['at'])
        values['seq'] = seq
        digest = row_hash(values, prev)
        conn.execute(sa.text("UPDATE audit_log SET seq = :seq, prev_hash = :prev, hash = :hash WHERE id = :id"),
                     {"seq": seq, "prev": prev, "hash": digest, "id": row.id})
        prev = digest


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        from disaster_desk.core.pg_security import DROP_SQL

        op.execute(DROP_SQL)
    with op.batch_alter_table('audit_log') as batch:
        batch.drop_index(batch.f('ix_audit_log_txid'))
        batch.drop_constraint(batch.f('uq_audit_log_seq'), type_='unique')
        for name in ('txid', 'hash', 'prev_hash', 'seq', 'display_name'):
            batch.drop_column(name)
