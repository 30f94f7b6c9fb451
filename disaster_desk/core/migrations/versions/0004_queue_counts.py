"""queue_counts: queue rows per filter-key combination, kept by triggers on posts (SQLite)

Revision ID: 0004_queue_counts
Revises: 0003_queue_keys

The triggers exist on SQLite only: SQLite has one writer at a time, so the
shared counter rows cannot deadlock. On PostgreSQL (many stations writing at
once) the queue counts with an index scan instead and the table stays empty.
"""
import sqlalchemy as sa
from alembic import op

revision = '0004_queue_counts'
down_revision = '0003_queue_keys'
branch_labels = None
depends_on = None

KEYS = "mode, run_id, urgency, label_mask, ward, state, source"
MATCH_OLD = ("mode = old.mode AND run_id = old.run_id AND urgency = old.urgency AND label_mask = old.label_mask"
             " AND ward = coalesce(old.ward, '') AND state = old.state AND source = old.source")
NEW_VALUES = "new.mode, new.run_id, new.urgency, new.label_mask, coalesce(new.ward, ''), new.state, new.source, 1"
UPSERT_TAIL = f"ON CONFLICT ({KEYS}) DO UPDATE SET n = n + 1"

SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER posts_queue_count_ins AFTER INSERT ON posts
    WHEN new.urgency IS NOT NULL AND new.duplicate_of IS NULL
    BEGIN
      INSERT INTO queue_counts ({KEYS}, n) VALUES ({NEW_VALUES}) {UPSERT_TAIL};
    END""",
    f"""CREATE TRIGGER posts_queue_count_del AFTER DELETE ON posts
    WHEN old.urgency IS NOT NULL AND old.duplicate_of IS NULL
    BEGIN
      UPDATE queue_counts SET n = n - 1 WHERE {MATCH_OLD};
    END""",
    f"""CREATE TRIGGER posts_queue_count_upd
    AFTER UPDATE OF mode, run_id, urgency, label_mask, ward, state, source, duplicate_of ON posts
    BEGIN
      UPDATE queue_counts SET n = n - 1
        WHERE old.urgency IS NOT NULL AND old.duplicate_of IS NULL AND {MATCH_OLD};
      INSERT INTO queue_counts ({KEYS}, n) SELECT {NEW_VALUES}
        WHERE new.urgency IS NOT NULL AND new.duplicate_of IS NULL {UPSERT_TAIL};
    END""",
)


def upgrade() -> None:
    op.create_table('queue_counts',
    sa.Column('mode', sa.String(length=8), nullable=False),
    sa.Column('run_id', sa.String(length=64), nullable=False),
    sa.Column('urgency', sa.Integer(), nullable=False),
    sa.Column('label_mask', sa.Integer(), nullable=False),
    sa.Column('ward', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('mode', 'run_id', 'urgency', 'label_mask', 'ward', 'state', 'source',
                            name=op.f('pk_queue_counts'))
    )
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        f"INSERT INTO queue_counts ({KEYS}, n) SELECT mode, run_id, urgency, label_mask, coalesce(ward, ''),"
        " state, source, count(*) FROM posts WHERE urgency IS NOT NULL AND duplicate_of IS NULL"
        " GROUP BY mode, run_id, urgency, label_mask, coalesce(ward, ''), state, source"
    )
    for ddl in SQLITE_TRIGGERS:
        op.execute(ddl)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("posts_queue_count_ins", "posts_queue_count_del", "posts_queue_count_upd"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table('queue_counts')
