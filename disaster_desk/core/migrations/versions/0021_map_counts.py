"""map_counts: the map's posts per ward and per town, kept by triggers; the map's time-window index

Revision ID: 0021_map_counts
Revises: 0020_station_functions_plpgsql

The map draws a time window of markers and, for every post it does not draw, a
count per ward and per town (core.map_items.map_picture: badge = total − drawn).
The totals were a GROUP BY over every post (a join with analyses for the towns:
3.3 s at 200,000 posts, re-read every minute); they are kept here instead.

Rows, per scope (mode, run_id — drill runs never mix with the real rows):

- ``town = ''``: the ward's total — posts analysed (``urgency`` set), not
  collapsed, not dismissed, with ``posts.ward``;
- ``town = <place>``: posts not collapsed, not dismissed, whose analysis names a
  town (precision town/address, place and point set), with the sum of the points
  (the badge sits at the mean point).

SQLite (one writer at a time): the triggers keep one row per key (upsert).
PostgreSQL (many stations at once): shared counter rows would be a lock queue and
a deadlock between two batches that touch the same towns in another order, so
the trigger function only appends a delta row (never blocks); readers sum per
key, and ``dd_map_counts_compact()`` (SECURITY DEFINER, one at a time by an
advisory lock) folds the deltas into one row per key when they pile up. The
trigger functions are SECURITY DEFINER: a collector or hq login writes posts and
analyses without any privilege on map_counts; the read policy mirrors posts'
(a drill login reads drill rows only; a ward login, which sees only the posts
shared with it, reads none and counts its own rows as before).

A post's deletion is counted once: the posts trigger runs BEFORE DELETE (its
analysis is still there), the analyses trigger only while the post exists.
Back-filled here with the GROUP BY the map used to run.

``ix_posts_map_window``: the map's first picture reads the most relevant posts
of the last hours (unhandled first, then urgency, newest first). This partial
index holds the mapped posts by time with every column that top-N reads, so it
scans only the window's entries of one index (36,000 for 6 hours at 1,000,000
posts) instead of walking the queue index by urgency and the table for the time.
"""
import sqlalchemy as sa
from alembic import op

revision = '0021_map_counts'
down_revision = '0020_station_functions_plpgsql'
branch_labels = None
depends_on = None

#: The advisory lock key of the compaction (any constant unique in the project).
COMPACT_LOCK = 0x6D6170  # "map"

KEYS = "mode, run_id, ward, town, n, lat_sum, lon_sum"
# A post counts for its ward / its analysis' town (p: the post's row, a: the analysis' row).
WARD_OK = "{p}.urgency IS NOT NULL AND {p}.duplicate_of IS NULL AND {p}.state <> 'dismissed' AND {p}.ward IS NOT NULL"
TOWN_OK = ("{p}.duplicate_of IS NULL AND {p}.state <> 'dismissed' AND {a}.precision IN ('town', 'address')"
           " AND {a}.place IS NOT NULL AND {a}.lat IS NOT NULL AND {a}.lon IS NOT NULL")


def _ward_select(p: str, sign: str) -> str:
    return f"SELECT {p}.mode, {p}.run_id, {p}.ward, '', {sign}1, 0.0, 0.0 WHERE {WARD_OK.format(p=p)}"


def _town_select(p: str, a: str, sign: str, source: str) -> str:
    return (f"SELECT {p}.mode, {p}.run_id, coalesce({a}.ward, ''), {a}.place, {sign}1, {sign}{a}.lat, {sign}{a}.lon"
            f" FROM {source} WHERE {TOWN_OK.format(p=p, a=a)}")


# -- SQLite: upserts ------------------------------------------------------------------------------

UPSERT = ("ON CONFLICT (mode, run_id, ward, town, single) DO UPDATE SET n = n + excluded.n,"
          " lat_sum = lat_sum + excluded.lat_sum, lon_sum = lon_sum + excluded.lon_sum")
POST_COLUMNS = "mode, run_id, urgency, ward, state, duplicate_of"
TOWN_COLUMNS = "post_id, ward, place, lat, lon, precision"


def _sqlite_add(select_sql: str) -> str:
    """The select's values with ``single`` = 1 (the select ends with its WHERE, as an upsert needs)."""
    values, rest = select_sql.split(" FROM ", 1) if " FROM " in select_sql else select_sql.split(" WHERE ", 1)
    joiner = " FROM " if " FROM " in select_sql else " WHERE "
    return f"INSERT INTO map_counts ({KEYS}, single) {values}, 1{joiner}{rest} {UPSERT};"


SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER posts_map_count_ins AFTER INSERT ON posts BEGIN
      {_sqlite_add(_ward_select('new', ''))}
      {_sqlite_add(_town_select('new', 'a', '', 'analyses a') + ' AND a.post_id = new.id')}
    END""",
    f"""CREATE TRIGGER posts_map_count_upd AFTER UPDATE OF {POST_COLUMNS} ON posts BEGIN
      {_sqlite_add(_ward_select('old', '-'))}
      {_sqlite_add(_ward_select('new', ''))}
      {_sqlite_add(_town_select('old', 'a', '-', 'analyses a') + ' AND a.post_id = old.id')}
      {_sqlite_add(_town_select('new', 'a', '', 'analyses a') + ' AND a.post_id = new.id')}
    END""",
    f"""CREATE TRIGGER posts_map_count_del BEFORE DELETE ON posts BEGIN
      {_sqlite_add(_ward_select('old', '-'))}
      {_sqlite_add(_town_select('old', 'a', '-', 'analyses a') + ' AND a.post_id = old.id')}
    END""",
    f"""CREATE TRIGGER analyses_map_count_ins AFTER INSERT ON analyses BEGIN
      {_sqlite_add(_town_select('p', 'new', '', 'posts p') + ' AND p.id = new.post_id')}
    END""",
    f"""CREATE TRIGGER analyses_map_count_upd AFTER UPDATE OF {TOWN_COLUMNS} ON analyses BEGIN
      {_sqlite_add(_town_select('p', 'old', '-', 'posts p') + ' AND p.id = old.post_id')}
      {_sqlite_add(_town_select('p', 'new', '', 'posts p') + ' AND p.id = new.post_id')}
    END""",
    f"""CREATE TRIGGER analyses_map_count_del AFTER DELETE ON analyses BEGIN
      {_sqlite_add(_town_select('p', 'old', '-', 'posts p') + ' AND p.id = old.post_id')}
    END""",
)
SQLITE_TRIGGER_NAMES = ("posts_map_count_ins", "posts_map_count_upd", "posts_map_count_del",
                        "analyses_map_count_ins", "analyses_map_count_upd", "analyses_map_count_del")

# -- PostgreSQL: appended deltas ------------------------------------------------------------------


def _pg_add(select_sql: str) -> str:
    return f"INSERT INTO public.map_counts ({KEYS}) {select_sql};"


PG_SQL = f"""
CREATE OR REPLACE FUNCTION dd_map_count_post() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    {_pg_add(_ward_select('OLD', '-'))}
    {_pg_add(_town_select('OLD', 'a', '-', 'public.analyses a') + ' AND a.post_id = OLD.id')}
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    {_pg_add(_ward_select('NEW', ''))}
    {_pg_add(_town_select('NEW', 'a', '', 'public.analyses a') + ' AND a.post_id = NEW.id')}
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION dd_map_count_analysis() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    {_pg_add(_town_select('p', 'OLD', '-', 'public.posts p') + ' AND p.id = OLD.post_id')}
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    {_pg_add(_town_select('p', 'NEW', '', 'public.posts p') + ' AND p.id = NEW.post_id')}
  END IF;
  RETURN NULL;
END
$$;

-- BEFORE DELETE returns OLD (the delete goes on); the others are AFTER triggers.
CREATE OR REPLACE FUNCTION dd_map_count_post_delete() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  {_pg_add(_ward_select('OLD', '-'))}
  {_pg_add(_town_select('OLD', 'a', '-', 'public.analyses a') + ' AND a.post_id = OLD.id')}
  RETURN OLD;
END
$$;

-- Fold the deltas into one row per key; 0 when another station is folding right now.
CREATE OR REPLACE FUNCTION dd_map_counts_compact() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  folded integer;
BEGIN
  IF NOT pg_try_advisory_xact_lock({COMPACT_LOCK}) THEN
    RETURN 0;
  END IF;
  WITH gone AS (DELETE FROM public.map_counts RETURNING {KEYS})
  INSERT INTO public.map_counts ({KEYS})
  SELECT mode, run_id, ward, town, sum(n), sum(lat_sum), sum(lon_sum) FROM gone
  GROUP BY mode, run_id, ward, town HAVING sum(n) <> 0;
  GET DIAGNOSTICS folded = ROW_COUNT;
  RETURN folded;
END
$$;

"""

PG_TRIGGERS = f"""
DROP TRIGGER IF EXISTS posts_map_count_ins ON posts;
CREATE TRIGGER posts_map_count_ins AFTER INSERT ON posts FOR EACH ROW EXECUTE FUNCTION dd_map_count_post();
DROP TRIGGER IF EXISTS posts_map_count_upd ON posts;
CREATE TRIGGER posts_map_count_upd AFTER UPDATE OF {POST_COLUMNS} ON posts FOR EACH ROW
  WHEN (OLD.mode IS DISTINCT FROM NEW.mode OR OLD.run_id IS DISTINCT FROM NEW.run_id
        OR OLD.urgency IS DISTINCT FROM NEW.urgency OR OLD.ward IS DISTINCT FROM NEW.ward
        OR OLD.state IS DISTINCT FROM NEW.state OR OLD.duplicate_of IS DISTINCT FROM NEW.duplicate_of)
  EXECUTE FUNCTION dd_map_count_post();
DROP TRIGGER IF EXISTS posts_map_count_del ON posts;
CREATE TRIGGER posts_map_count_del BEFORE DELETE ON posts FOR EACH ROW EXECUTE FUNCTION dd_map_count_post_delete();
DROP TRIGGER IF EXISTS analyses_map_count_ins ON analyses;
CREATE TRIGGER analyses_map_count_ins AFTER INSERT ON analyses FOR EACH ROW
  EXECUTE FUNCTION dd_map_count_analysis();
DROP TRIGGER IF EXISTS analyses_map_count_upd ON analyses;
CREATE TRIGGER analyses_map_count_upd AFTER UPDATE OF {TOWN_COLUMNS} ON analyses FOR EACH ROW
  WHEN (OLD.post_id IS DISTINCT FROM NEW.post_id OR OLD.ward IS DISTINCT FROM NEW.ward
        OR OLD.place IS DISTINCT FROM NEW.place OR OLD.lat IS DISTINCT FROM NEW.lat
        OR OLD.lon IS DISTINCT FROM NEW.lon OR OLD.precision IS DISTINCT FROM NEW.precision)
  EXECUTE FUNCTION dd_map_count_analysis();
DROP TRIGGER IF EXISTS analyses_map_count_del ON analyses;
CREATE TRIGGER analyses_map_count_del AFTER DELETE ON analyses FOR EACH ROW EXECUTE FUNCTION dd_map_count_analysis();

ALTER TABLE map_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE map_counts FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS dd_station ON map_counts;
CREATE POLICY dd_station ON map_counts
  USING ((SELECT dd_station_role(current_user::text)) IN ('owner', 'hq', 'viewer', 'collector')
         OR ((SELECT dd_station_role(current_user::text)) = 'drill' AND mode = 'drill'))
  WITH CHECK ((SELECT dd_station_role(current_user::text)) = 'owner');
"""

#: ``{single}``: 1 on SQLite (one row per key), NULL on PostgreSQL.
BACKFILL = (
    f"INSERT INTO map_counts ({KEYS}, single) SELECT mode, run_id, ward, '', count(*), 0.0, 0.0, {{single}}"
    f" FROM posts p WHERE {WARD_OK.format(p='p')} GROUP BY mode, run_id, ward",
    f"INSERT INTO map_counts ({KEYS}, single) SELECT p.mode, p.run_id, coalesce(a.ward, ''), a.place, count(*),"
    f" sum(a.lat), sum(a.lon), {{single}} FROM analyses a JOIN posts p ON p.id = a.post_id"
    f" WHERE {TOWN_OK.format(p='p', a='a')} GROUP BY p.mode, p.run_id, coalesce(a.ward, ''), a.place",
)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == 'sqlite'
    op.create_table(
        'map_counts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('mode', sa.String(length=8), nullable=False),
        sa.Column('run_id', sa.String(length=64), nullable=False),
        sa.Column('ward', sa.String(length=16), nullable=False),
        sa.Column('town', sa.String(length=200), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.Column('lat_sum', sa.Float(), nullable=False),
        sa.Column('lon_sum', sa.Float(), nullable=False),
        sa.Column('single', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_map_counts')),
    )
    # SQLite: one row per key, single = 1 (the upsert's target); PostgreSQL: delta rows, single NULL.
    op.create_index('ux_map_counts_key', 'map_counts', ['mode', 'run_id', 'ward', 'town', 'single'], unique=True)
    # The map's time window: the mapped posts by time, every column its top-N reads (core.map_items).
    op.create_index('ix_posts_map_window', 'posts',
                    ['mode', 'run_id', 'collected_at', 'state', 'urgency', 'id', 'ward', 'geo_lat'],
                    sqlite_where=sa.text("duplicate_of IS NULL AND urgency IS NOT NULL"),
                    postgresql_where=sa.text("duplicate_of IS NULL AND urgency IS NOT NULL"))
    for sql in BACKFILL:
        op.execute(sql.format(single="1" if sqlite else "NULL"))
    if sqlite:
        for ddl in SQLITE_TRIGGERS:
            op.execute(ddl)
    else:
        op.execute(PG_SQL)
        op.execute(PG_TRIGGERS)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for name in SQLITE_TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for name, table in (("posts_map_count_ins", "posts"), ("posts_map_count_upd", "posts"),
                            ("posts_map_count_del", "posts"), ("analyses_map_count_ins", "analyses"),
                            ("analyses_map_count_upd", "analyses"), ("analyses_map_count_del", "analyses")):
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS dd_map_count_post(), dd_map_count_post_delete(), "
                   "dd_map_count_analysis(), dd_map_counts_compact()")
    op.drop_index('ix_posts_map_window', table_name='posts')
    op.drop_table('map_counts')
