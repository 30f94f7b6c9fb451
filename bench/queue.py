"""Queue latency with 1,000,000 stored posts (SQLite): filter change and scrolling.

``python -m bench queue``. The database is built once under /tmp (plain
``executemany``, a few minutes) and reused (migrated to the newest schema).
Measured against a bare ``SELECT id FROM posts LIMIT 100`` on the same engine
in the same run. Target: filter change (count + first page) and a page fetch
under 100 ms. Free-text searches are also timed the old way (an exact LIKE
scan, ``exact_count``) for the ratio, and the cost the search index adds to
storing posts is measured on small fresh databases (with and without
migration 0007).
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import text

from disaster_desk.core.area import OSAKA_WARDS
from disaster_desk.core.db import Database, upgrade
from disaster_desk.core.models import label_mask
from disaster_desk.core.modes import REAL_SCOPE
from disaster_desk.core.queue import QueueFilter, QueueService
from disaster_desk.core.taxonomy import LABELS, urgency

N_POSTS = int(os.environ.get("DD_BENCH_QUEUE_N", "1000000"))
PATH = Path(f"/tmp/dd-bench-queue-{N_POSTS}.sqlite")
START = datetime(2026, 1, 17, 0, 0, tzinfo=timezone.utc)
WORDS = ["救助", "火災", "浸水", "停電", "断水", "避難所", "渋滞", "倒壊", "けが人", "物資", "安否", "ランチ"]


def _fmt(dt: datetime) -> str:
    return dt.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def _revision(db: Database) -> str:
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()


def rows(n: int):
    """(post row, analysis row) tuples of the generated posts, in the column order of ``_flush``."""
    rng = random.Random(6)
    real_labels = [lb for lb in LABELS if lb != "none"]
    for i in range(1, n + 1):
        at = START + timedelta(seconds=i * 0.5)
        roll = rng.random()
        labels = ["none"] if roll < 0.3 else rng.sample(real_labels, 1 if roll < 0.9 else 2)
        ward = rng.choice(OSAKA_WARDS) if rng.random() < 0.7 else None
        mode, run_id = ("drill", "run-bench") if rng.random() < 0.1 else ("real", "")
        dup = rng.randint(max(1, i - 500), i - 1) if i > 1 and rng.random() < 0.05 else None
        state = rng.choice(["new"] * 6 + ["acknowledged", "verified", "dismissed", "shared"])
        source = rng.choice(["x", "x", "x", "mastodon", "bluesky"])
        body = f"{rng.choice(WORDS)}{rng.choice(WORDS)} {ward or ''} 投稿{i}"
        urg = urgency(labels)
        yield ((i, source, f"e{i}", f"@user{i % 5000}", body, _fmt(at), _fmt(at), dup, state, 1, urg,
                label_mask(labels), ward, mode, run_id),
               (i, '["' + '","'.join(labels) + '"]', urg, ward, "bench", _fmt(at)))


def build() -> Database:
    marker = PATH.with_suffix(".ready")
    if PATH.exists() and marker.exists():
        # A finished build: opening it migrates it to the newest schema (e.g. 0008 refills the
        # search index in ~1 min instead of a 5-6 min rebuild).
        t0 = time.perf_counter()
        db = Database.open(f"sqlite:///{PATH}")
        revision = _revision(db)
        if marker.read_text() != revision:
            print(f"migrated {PATH} from {marker.read_text()} to {revision} in {time.perf_counter() - t0:.0f} s")
            marker.write_text(revision)
        return db
    for p in (PATH, PATH.with_suffix(".sqlite-wal"), PATH.with_suffix(".sqlite-shm"), marker):
        p.unlink(missing_ok=True)
    db = Database.open(f"sqlite:///{PATH}")
    revision = _revision(db)
    db.dispose()
    conn = sqlite3.connect(PATH)
    conn.execute("PRAGMA synchronous=OFF")
    t0 = time.perf_counter()
    batch, analyses = [], []
    for post, analysis in rows(N_POSTS):
        batch.append(post)
        analyses.append(analysis)
        if len(batch) == 50_000:
            _flush(conn, batch, analyses)
    _flush(conn, batch, analyses)
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    marker.write_text(revision)
    print(f"built {N_POSTS:,} posts in {time.perf_counter() - t0:.0f} s at {PATH}")
    return Database.open(f"sqlite:///{PATH}")


def _flush(conn: sqlite3.Connection, batch: list, analyses: list) -> None:
    conn.executemany(
        "INSERT INTO posts (id, source, external_id, author, text, created_at, collected_at, duplicate_of, state,"
        " version, urgency, label_mask, ward, mode, run_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", batch)
    conn.executemany(
        "INSERT INTO analyses (post_id, labels, urgency, ward, analyser_version, analysed_at)"
        " VALUES (?,?,?,?,?,?)", analyses)
    conn.commit()
    batch.clear()
    analyses.clear()


def _ms(fn, repeat: int = 5) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times)


FILTERS: dict[str, QueueFilter] = {
    "default": QueueFilter(),
    "label fire": QueueFilter(labels=frozenset({"fire"})),
    "labels rescue+casualty": QueueFilter(labels=frozenset({"rescue", "casualty"})),
    "ward 北区": QueueFilter(wards=frozenset({"北区"})),
    "label+ward+state": QueueFilter(labels=frozenset({"flood"}), wards=frozenset({"港区"}),
                                    states=frozenset({"new"})),
    "source mastodon": QueueFilter(sources=frozenset({"mastodon"})),
    "last hour": QueueFilter(since=START + timedelta(seconds=N_POSTS * 0.5 - 3600)),
    "include none": QueueFilter(include_none=True),
}
_END = START + timedelta(seconds=N_POSTS * 0.5)
SEARCHES: dict[str, QueueFilter] = {
    "text 停電 (2 characters)": QueueFilter(text="停電"),
    "text 避難所 (3 characters)": QueueFilter(text="避難所"),
    "text 火 (1 character)": QueueFilter(text="火"),
    "text 北区 投稿 (with a space)": QueueFilter(text="北区 投稿"),
    "text 投稿12345 (rare)": QueueFilter(text="投稿12345"),
    "text 投稿10 (6,660, 90 % in the oldest tenth)": QueueFilter(text="投稿10"),
    "text 投稿5 (66,558, in the middle tenth)": QueueFilter(text="投稿5"),
    "text 停電 + label fire": QueueFilter(text="停電", labels=frozenset({"fire"})),
    "text 停電 + flood + 港区 + new": QueueFilter(text="停電", labels=frozenset({"flood"}), wards=frozenset({"港区"}),
                                              states=frozenset({"new"})),
    "text 停電 + source mastodon": QueueFilter(text="停電", sources=frozenset({"mastodon"})),
    "text 停電 + include none": QueueFilter(text="停電", include_none=True),
    "text 停電 + last hour": QueueFilter(text="停電", since=_END - timedelta(hours=1)),
    "text 停電 + last 24 h": QueueFilter(text="停電", since=_END - timedelta(hours=24)),
}


def main() -> None:
    db = build()
    with db.engine.connect() as conn:
        base, _ = _ms(lambda: conn.execute(text("SELECT id FROM posts LIMIT 100")).all(), 20)
    print(f"baseline SELECT id FROM posts LIMIT 100: {base:.2f} ms")
    print(f"{'filter change (count + first page)':40} {'median ms':>10} {'max ms':>8} {'rows':>9} {'ratio':>7}")
    for name, flt in FILTERS.items():
        found = []

        def change(flt=flt, found=found):
            queue = QueueService(db, REAL_SCOPE)  # fresh: no keyset cursor
            found[:] = [queue.count(flt)]
            queue.page(flt, 0, 100)

        med, worst = _ms(change, 3)
        print(f"{name:40} {med:10.1f} {worst:8.1f} {found[0]:9,} {med / base:7.0f}x")
    _searches(db, base)
    queue = QueueService(db, REAL_SCOPE)
    flt = QueueFilter()
    total = queue.count(flt)
    print(f"{'scroll (page of 100)':40} {'median ms':>10} {'max ms':>8}")
    seq = []
    for offset in range(0, 100 * 50, 100):
        t0 = time.perf_counter()
        queue.page(flt, offset, 100)
        seq.append((time.perf_counter() - t0) * 1000)
    print(f"{'sequential pages 0..5,000 (keyset)':40} {statistics.median(seq):10.1f} {max(seq):8.1f}")
    for depth in (10_000, 100_000, total // 2, total - 200):
        fresh = QueueService(db, REAL_SCOPE)
        jump, _ = _ms(lambda fresh=fresh, depth=depth: fresh.page(flt, depth, 100), 1)
        nxt, _ = _ms(lambda fresh=fresh, depth=depth: fresh.page(flt, depth + 100, 100), 1)
        print(f"{f'jump to {depth:,} (OFFSET) / next (keyset)':40} {jump:10.1f} {nxt:8.1f}")
    db.dispose()
    _write_cost()


def _searches(db: Database, base: float) -> None:
    """Free-text filter changes, the old exact LIKE scan for the ratio, and scrolling a search."""
    print(f"{'search (count + first page)':46} {'median ms':>10} {'max ms':>8} {'rows':>9} {'LIKE scan ms':>13} {'x':>5}"
          f" {'UI: cap 1,000 ms':>8}")
    for name, flt in SEARCHES.items():
        found = []

        def change(flt=flt, found=found):
            queue = QueueService(db, REAL_SCOPE)
            found[:] = [queue.count(flt)]
            queue.page(flt, 0, 100)

        med, worst = _ms(change, 3)
        capped, _ = _ms(lambda flt=flt: (QueueService(db).count(flt, cap=1000), QueueService(db).page(flt, 0, 100)), 3)
        scan, _ = _ms(lambda flt=flt: QueueService(db).exact_count(flt), 1)
        print(f"{name:46} {med:10.1f} {worst:8.1f} {found[0]:9,} {scan:13.0f} {scan / med:5.0f} {capped:8.1f}")
    for name in ("text 停電 (2 characters)", "text 投稿12345 (rare)", "text 停電 + last 24 h"):
        flt, queue, seq = SEARCHES[name], QueueService(db, REAL_SCOPE), []
        for offset in range(0, 100 * 30, 100):
            t0 = time.perf_counter()
            queue.page(flt, offset, 100)
            seq.append((time.perf_counter() - t0) * 1000)
        print(f"{'scroll ' + name + ', 30 pages':40} {statistics.median(seq):10.1f} {max(seq):8.1f}")


def _write_cost(n: int = 20_000) -> None:
    """Storing ``n`` posts (executemany, triggers on) with and without the search index (migration 0007)."""
    times = {}
    for label, revision in (("without search index", "0006_queue_ward_index"), ("with search index", "head")):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "w.sqlite"
            db = Database.open(f"sqlite:///{path}", migrate=False)
            upgrade(db.engine, revision)
            db.dispose()
            conn = sqlite3.connect(path)
            rng = random.Random(7)
            rows = [(i, "x", f"e{i}", "@u", f"{rng.choice(WORDS)}{rng.choice(WORDS)} 北区 投稿{i}", _fmt(START),
                     _fmt(START), None, "new", 1, 5, 32, "北区", "real", "") for i in range(1, n + 1)]
            t0 = time.perf_counter()
            for k in range(0, n, 500):
                conn.executemany(
                    "INSERT INTO posts (id, source, external_id, author, text, created_at, collected_at, duplicate_of,"
                    " state, version, urgency, label_mask, ward, mode, run_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    rows[k : k + 500])
                conn.commit()
            times[label] = time.perf_counter() - t0
            conn.close()
    base = times["without search index"]
    for label, seconds in times.items():
        print(f"store {n:,} posts {label:28} {n / seconds:8,.0f} posts/s {seconds / base:5.2f}x")


if __name__ == "__main__":
    main()
