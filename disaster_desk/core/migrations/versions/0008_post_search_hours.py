"""post search index: the hour a post was received as a code (time windows counted in the index)

Revision ID: 0008_post_search_hours
Revises: 0007_post_search

Adds to column ``k`` of ``posts_fts`` (SQLite) one single-trigram code for
the UTC hour of ``collected_at``: ``§`` and two private-use characters
(U+F0000 + hours since 1970 // 4096, U+F0000 + hours % 4096). A search in a
time window is then counted in the index for the whole hours inside the
window and on ``posts`` only for the two hours cut by its ends
(core/queue_text.py ``hour_code``). Rebuilds the index and its triggers.
"""
from alembic import op

revision = '0008_post_search_hours'
down_revision = '0007_post_search'
branch_labels = None
depends_on = None

PAD = "char(57344, 57344)"  # U+E000 twice (private use: never typed)
N_LABELS = 11
STATES = {"new": "n", "acknowledged": "a", "verified": "v", "dismissed": "x", "shared": "s", "closed": "c"}
SOURCES = {"x": "x", "mastodon": "m", "bluesky": "b", "jma": "j", "replay": "r", "other": "o"}
COLUMNS = "text, mode, run_id, urgency, label_mask, ward, state, source, duplicate_of, collected_at"
TRIGGERS = ("posts_fts_ins", "posts_fts_del", "posts_fts_upd")


def _mapped(column: str, mapping: dict[str, str], prefix: str, fallback: str) -> str:
    whens = " ".join(f"WHEN '{value}' THEN '§{prefix}{code}'" for value, code in mapping.items())
    return f"(CASE {column} {whens} ELSE '§{fallback}' || {column} || '§' END)"


def _hour(row: str) -> str:
    hours = f"(CAST(strftime('%s', {row}.collected_at) AS INTEGER) / 3600)"
    return f"coalesce('§' || char(983040 + {hours} / 4096, 983040 + {hours} % 4096), '')"


def keys_sql(row: str, *, hours: bool = True) -> str:
    """SQL for column ``k`` of ``row`` (``new``, ``old`` or ``posts``): empty when the post is not in the queue."""
    hour = _hour(row) if hours else "''"
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
        f" || {_mapped(f'{row}.source', SOURCES, 'o', 'p')}"
        f" || {hour} END)"
    )


def _insert(row: str, hours: bool) -> str:
    return (f"INSERT INTO posts_fts (rowid, t, k)"
            f" VALUES ({row}.id, lower({row}.text) || {PAD}, {keys_sql(row, hours=hours)});")


def _delete(row: str, hours: bool) -> str:
    return (f"INSERT INTO posts_fts (posts_fts, rowid, t, k)"
            f" VALUES ('delete', {row}.id, lower({row}.text) || {PAD}, {keys_sql(row, hours=hours)});")


def _rebuild(hours: bool) -> None:
    """Refill the index and recreate its triggers, with or without the hour codes."""
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    if not conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'posts_fts'").first():
        return  # SQLite without FTS5 (0007 logged it)
    for trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("INSERT INTO posts_fts (posts_fts) VALUES ('delete-all')")
    op.execute(f"INSERT INTO posts_fts (rowid, t, k)"
               f" SELECT id, lower(text) || {PAD}, {keys_sql('posts', hours=hours)} FROM posts")
    columns = COLUMNS if hours else COLUMNS.replace(", collected_at", "")
    op.execute(f"CREATE TRIGGER posts_fts_ins AFTER INSERT ON posts BEGIN {_insert('new', hours)} END")
    op.execute(f"CREATE TRIGGER posts_fts_del AFTER DELETE ON posts BEGIN {_delete('old', hours)} END")
    op.execute(f"CREATE TRIGGER posts_fts_upd AFTER UPDATE OF {columns} ON posts"
               f" BEGIN {_delete('old', hours)} {_insert('new', hours)} END")


def upgrade() -> None:
    _rebuild(hours=True)


def downgrade() -> None:
    _rebuild(hours=False)
