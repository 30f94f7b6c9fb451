"""Queue free-text search on PostgreSQL: the pg_trgm GIN index against no index.

``python -m bench queue_pg``. Loads bench/queue.py's generated posts
(``DD_BENCH_QUEUE_PG_N``, default 1,000,000) with COPY into the database
``dd_bench_queue`` on 127.0.0.1 (user postgres; ``DD_BENCH_QUEUE_PG_URL``
for another server) once, and reuses it while it holds that many posts.
"Without index" is the same service on connections where bitmap scans are
off (a GIN index is only read by bitmap scans), in the same run.
"""

from __future__ import annotations

import os
import statistics
import time

import psycopg
from sqlalchemy import text

from bench.queue import rows
from disaster_desk.core.db import Database
from disaster_desk.core.modes import REAL_SCOPE
from disaster_desk.core.queue import QueueFilter, QueueService

N = int(os.environ.get("DD_BENCH_QUEUE_PG_N", "1000000"))
SERVER = os.environ.get("DD_BENCH_QUEUE_PG_URL", "postgresql://postgres@127.0.0.1:5432")
NAME = "dd_bench_queue"
SEARCHES = {
    "text 停電 (2 characters)": QueueFilter(text="停電"),
    "text 避難所 (3 characters)": QueueFilter(text="避難所"),
    "text 北区 投稿 (with a space)": QueueFilter(text="北区 投稿"),
    "text 投稿12345 (rare)": QueueFilter(text="投稿12345"),
    "text 避難所 + label fire": QueueFilter(text="避難所", labels=frozenset({"fire"})),
}
POST_COLUMNS = ("id, source, external_id, author, text, created_at, collected_at, duplicate_of, state, version,"
                " urgency, label_mask, ward, mode, run_id")
ANALYSIS_COLUMNS = "post_id, labels, urgency, ward, analyser_version, analysed_at"


def build() -> tuple[Database, str]:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (NAME,)).fetchone():
            admin.execute(f"CREATE DATABASE {NAME}")
    url = f"{SERVER}/{NAME}"
    db = Database.open(url)
    with db.engine.connect() as conn:
        stored = conn.execute(text("SELECT count(*) FROM posts")).scalar_one()
    if stored == N:
        return db, url
    t0 = time.perf_counter()
    with psycopg.connect(url) as conn:
        conn.execute("SET TIME ZONE 'UTC'")  # the generated times are naive UTC
        conn.execute("TRUNCATE posts, analyses CASCADE")
        with conn.cursor().copy(f"COPY posts ({POST_COLUMNS}) FROM STDIN") as copy:
            for post, _ in rows(N):
                copy.write_row(post)
        with conn.cursor().copy(f"COPY analyses ({ANALYSIS_COLUMNS}) FROM STDIN") as copy:
            for _, analysis in rows(N):
                copy.write_row(analysis)
        conn.execute("ANALYZE posts")
        conn.execute("ANALYZE analyses")
    print(f"loaded {N:,} posts into {NAME} in {time.perf_counter() - t0:.0f} s")
    return db, url


def _ms(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    db, url = build()
    with db.engine.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_indexes WHERE indexname = 'ix_posts_text_trgm'")).first():
            print("no ix_posts_text_trgm (pg_trgm missing): nothing to compare")
            return
    plain = Database.open(url, migrate=False, connect_args={"options": "-c enable_bitmapscan=off"})
    figures = {}
    runs = (("trgm", db, 5, None), ("trgm capped", db, 5, 1000), ("plain", plain, 1, None))
    for label, database, repeat, cap in runs:  # one engine after the other
        for name, flt in SEARCHES.items():
            found = []

            def change(database=database, flt=flt, found=found, cap=cap):
                queue = QueueService(database, REAL_SCOPE)
                found[:] = [queue.count(flt, cap=cap)]
                queue.page(flt, 0, 100)

            figures[label, name] = _ms(change, repeat), found[0]
    print(f"{'search (count + first page)':40} {'trgm ms':>9} {'no index ms':>12} {'rows':>9} {'x':>5}"
          f" {'UI: count cap 1,000 ms':>23}")
    for name in SEARCHES:
        (with_index, found), (without, _) = figures["trgm", name], figures["plain", name]
        capped = figures["trgm capped", name][0]
        print(f"{name:40} {with_index:9.1f} {without:12.1f} {found:9,} {without / with_index:5.1f} {capped:23.1f}")
    plain.dispose()
    db.dispose()


if __name__ == "__main__":
    main()
