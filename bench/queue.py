"""Queue latency with 1,000,000 stored posts (SQLite): filter change and scrolling.

``python -m bench queue``. The database is built once under /tmp (plain
``executemany``, a few minutes) and reused while its schema revision matches.
Measured against a bare ``SELECT id FROM posts LIMIT 100`` on the same engine
in the same run. Target: filter change (count + first page) and a page fetch
under 100 ms.
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import text

from disaster_desk.core.area import OSAKA_WARDS
from disaster_desk.core.db import Database
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


def build() -> Database:
    marker = PATH.with_suffix(".ready")
    if PATH.exists() and marker.exists():
        db = Database.open(f"sqlite:///{PATH}")
        if marker.read_text() == _revision(db):
            return db
        db.dispose()
    for p in (PATH, PATH.with_suffix(".sqlite-wal"), PATH.with_suffix(".sqlite-shm"), marker):
        p.unlink(missing_ok=True)
    db = Database.open(f"sqlite:///{PATH}")
    revision = _revision(db)
    db.dispose()
    rng = random.Random(6)
    conn = sqlite3.connect(PATH)
    conn.execute("PRAGMA synchronous=OFF")
    t0 = time.perf_counter()
    real_labels = [lb for lb in LABELS if lb != "none"]
    batch, analyses = [], []
    for i in range(1, N_POSTS + 1):
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
        batch.append((i, source, f"e{i}", f"@user{i % 5000}", body, _fmt(at), _fmt(at), dup, state, 1, urg,
                      label_mask(labels), ward, mode, run_id))
        analyses.append((i, '["' + '","'.join(labels) + '"]', urg, ward, "bench", _fmt(at)))
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
    "text 停電": QueueFilter(text="停電"),
    "text 停電 + last hour": QueueFilter(text="停電", since=START + timedelta(seconds=N_POSTS * 0.5 - 3600)),
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
    for name, flt in (("text 停電", FILTERS["text 停電"]),):
        capped, _ = _ms(lambda flt=flt: (QueueService(db).count(flt, cap=1000), QueueService(db).page(flt, 0, 100)), 3)
        print(f"{name + ' (count capped at 1,000)':40} {capped:10.1f}")
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


if __name__ == "__main__":
    main()
