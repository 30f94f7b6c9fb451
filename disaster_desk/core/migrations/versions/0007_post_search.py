"""free-text search of posts: FTS5 trigram index (SQLite), pg_trgm GIN index (PostgreSQL)

Revision ID: 0007_post_search
Revises: 0006_queue_ward_index

SQLite: ``posts_fts`` is a contentless FTS5 table with the trigram tokenizer,
kept by triggers on ``posts``. Column ``t`` holds the ASCII-lowered text plus
two padding characters (so every 1-2 character substring starts a trigram and
short Japanese terms can be found through the vocabulary table
``posts_fts_vocab``; see
core/queue_text.py). Column ``k`` holds the post's queue keys as short codes
(scope, labels, ward, state, source) so a search with queue filters is
counted inside the index. The codes must match ``core/queue_text.py``:
tests/core/test_queue_text.py checks every known value.

PostgreSQL: a GIN trigram index on ``posts.text`` lets ``ILIKE '%term%'`` read
the index for terms of 3+ characters; without the pg_trgm extension the
queue scans (logged, not an error).
"""
import logging

from alembic import op

revision = '0007_post_search'
down_revision = '0006_queue_ward_index'
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)

PAD = "char(57344, 57344)"  # U+E000 twice (private use: never typed)
N_LABELS = 11
STATES = {"new": "n", "acknowledged": "a", "verified": "v", "dismissed": "x", "shared": "s", "closed": "c"}
SOURCES = {"x": "x", "mastodon": "m", "bluesky": "b", "jma": "j", "replay": "r", "other": "o"}
COLUMNS = "text, mode, run_id, urgency, label_mask, ward, state, source, duplicate_of"


def _mapped(column: str, mapping: dict[str, str], prefix: str, fallback: str) -> str:
    whens = " ".join(f"WHEN '{value}' THEN '§{prefix}{code}'" for value, code in mapping.items())
    return f"(CASE {column} {whens} ELSE '§{fallback}' || {column} || '§' END)"


def keys_sql(row: str) -> str:
    """SQL for column ``k`` of ``row`` (``new`` or ``old``): empty when the post is not in the queue."""
    labels = " || ".join(f"(CASE WHEN {row}.label_mask & {1 << i} THEN '§l{chr(97 + i)}' ELSE '' END)"
                         for i in range(N_LABELS))
    return (
        f"(CASE WHEN {row}.urgency IS NULL OR {row}.urgency < 0 OR {row}.duplicate_of IS NOT NULL THEN ''"
        f" ELSE (CASE {row}.mode WHEN 'real' THEN '§q' ELSE '§d' END)"
        f" || (CASE WHEN {row}.urgency >= 1 THEN '1' ELSE '0' END)"
        f" || (CASE {row}.mode WHEN 'real' THEN '' ELSE '§r' || {row}.run_id || '§' END)"
        f" || {labels}"
        f" || coalesce('§w' || {row}.ward || '§', '')"
        f" || {_mapped(f'{row}.state', STATES, 's', 't')}"
        f" || {_mapped(f'{row}.source', SOURCES, 'o', 'p')} END)"
    )


def _insert(row: str) -> str:
    return f"INSERT INTO posts_fts (rowid, t, k) VALUES ({row}.id, lower({row}.text) || {PAD}, {keys_sql(row)});"


def _delete(row: str) -> str:
    return (f"INSERT INTO posts_fts (posts_fts, rowid, t, k)"
            f" VALUES ('delete', {row}.id, lower({row}.text) || {PAD}, {keys_sql(row)});")


SQLITE_TRIGGERS = (
    f"CREATE TRIGGER posts_fts_ins AFTER INSERT ON posts BEGIN {_insert('new')} END",
    f"CREATE TRIGGER posts_fts_del AFTER DELETE ON posts BEGIN {_delete('old')} END",
    f"CREATE TRIGGER posts_fts_upd AFTER UPDATE OF {COLUMNS} ON posts BEGIN {_delete('old')} {_insert('new')} END",
)


def _upgrade_sqlite() -> None:
    conn = op.get_bind()
    if not conn.exec_driver_sql("SELECT sqlite_compileoption_used('ENABLE_FTS5')").scalar():
        log.warning("SQLite without FTS5: free-text search scans the posts")
        return
    op.execute("CREATE VIRTUAL TABLE posts_fts USING fts5(t, k, content='', tokenize='trigram case_sensitive 1')")
    op.execute("CREATE VIRTUAL TABLE posts_fts_vocab USING fts5vocab(posts_fts, 'row')")
    op.execute(f"INSERT INTO posts_fts (rowid, t, k) SELECT id, lower(text) || {PAD}, {keys_sql('posts')} FROM posts")
    for ddl in SQLITE_TRIGGERS:
        op.execute(ddl)


def _upgrade_postgres() -> None:
    conn = op.get_bind()
    available = conn.exec_driver_sql("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'").scalar()
    if not available:
        log.warning("PostgreSQL without pg_trgm: free-text search scans the posts")
        return
    # A savepoint: a refused CREATE EXTENSION (no privilege) must not abort the migration.
    try:
        with conn.begin_nested():
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:  # noqa: BLE001 - any refusal means "no trigram index"
        log.warning("cannot create extension pg_trgm (%s): free-text search scans the posts",
                    str(exc).splitlines()[0])
        return
    op.execute("CREATE INDEX ix_posts_text_trgm ON posts USING gin (text gin_trgm_ops)")


def upgrade() -> None:
    name = op.get_bind().dialect.name
    if name == "sqlite":
        _upgrade_sqlite()
    elif name == "postgresql":
        _upgrade_postgres()


def downgrade() -> None:
    name = op.get_bind().dialect.name
    if name == "sqlite":
        for trigger in ("posts_fts_ins", "posts_fts_del", "posts_fts_upd"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS posts_fts_vocab")
        op.execute("DROP TABLE IF EXISTS posts_fts")
    elif name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_posts_text_trgm")
