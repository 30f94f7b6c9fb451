"""Ingest throughput: IngestService vs a bare executemany INSERT, SQLite and PostgreSQL.

Target (issue 2): our ingest ≥ 0.5 × the bare insert speed on the same engine.
Both paths write the same 100,000 synthetic rows into a fresh database; the
bare path is SQLAlchemy Core ``insert(posts)`` with executemany (no conflict
handling, no RETURNING, no validation), measured in the same run.
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid

from sqlalchemy import insert

from disaster_desk.core.clock import SystemClock
from disaster_desk.core.db import Database
from disaster_desk.core.ingest import IngestService, RawPost
from disaster_desk.core.models import Post

N = int(os.environ.get("DD_BENCH_INGEST_N", "100000"))
BATCH = 1000
PG_ADMIN = os.environ.get("DD_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def _posts(prefix: str) -> list[RawPost]:
    return [
        RawPost(source="x", external_id=f"{prefix}{i}", text=f"北区中崎町{i % 5 + 1}丁目で火事 煙がすごい #大阪地震 {i}",
                author=f"user{i % 997}")
        for i in range(N)
    ]


def _ours(db: Database, prefix: str = "a") -> float:
    service = IngestService(db, SystemClock())
    start = time.perf_counter()
    posts = _posts(prefix)  # timed: building a RawPost passes the text boundary (core/text.py)
    for i in range(0, N, BATCH):
        service.ingest(posts[i : i + BATCH])
    return N / (time.perf_counter() - start)


def _ours_unsanitised(db: Database, prefix: str = "c") -> float:
    """The same path with the text boundary switched off (bench only): what the sanitiser costs."""
    from disaster_desk.core import ingest

    real = ingest.clean_text
    ingest.clean_text = lambda value: value
    try:
        return _ours(db, prefix)
    finally:
        ingest.clean_text = real


def _bare(db: Database) -> float:
    rows = IngestService(db, SystemClock()).rows(_posts("b"))
    start = time.perf_counter()
    for i in range(0, N, BATCH):
        with db.engine.begin() as conn:
            conn.execute(insert(Post), rows[i : i + BATCH])
    return N / (time.perf_counter() - start)


def _measure(name: str, url: str) -> None:
    db = Database.open(url)
    try:
        bare = _bare(db)
        ours = _ours(db)
        unsanitised = _ours_unsanitised(db)
        # once more in the other order, best of each: the table grows between runs and the machine is shared
        unsanitised = max(unsanitised, _ours_unsanitised(db, "d"))
        ours = max(ours, _ours(db, "e"))
    finally:
        db.dispose()
    print(f"{name:10s} ingest {ours:9.0f} posts/s   bare executemany {bare:9.0f} rows/s   ratio {ours / bare:.2f}"
          f"   without the sanitiser {unsanitised:9.0f} posts/s (sanitiser costs {1 - ours / unsanitised:+.1%})")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _measure("sqlite", f"sqlite:///{tmp}/bench.sqlite")
    try:
        import psycopg

        name = f"dd_bench_{uuid.uuid4().hex[:8]}"
        admin = PG_ADMIN.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            _measure("postgresql", admin.rsplit("/", 1)[0] + "/" + name)
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    except Exception as exc:  # no server here: say so, don't fail the other benches
        print(f"postgresql skipped: {exc}")


if __name__ == "__main__":
    main()
