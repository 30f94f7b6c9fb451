"""Station logins on PostgreSQL (issue 13, acceptance 2): ingest and triage with RLS and audit triggers on.

``python -m bench stations [--posts N] [--actions N] [--db ADMIN_URL]``. Makes a fresh
database on the server (default ``postgresql://postgres@127.0.0.1:5432/postgres``),
runs ``admin init`` (group roles with a unique ``DD_ROLE_PREFIX``, row-level
security FORCEd, audit triggers, hash chain) and adds a ``collector`` and an
``hq`` login with ``admin add-station``. Then, in the same run:

- **ingest**: N posts through ``IngestService`` as the collector login, against a
  bare SQLAlchemy Core ``executemany`` INSERT of the same rows *by the same
  login* (RLS and triggers apply to both), batches of 1,000, best of two
  rounds each. Target: ratio ≥ 0.5. The owner's bare insert (a superuser:
  row-level security bypassed) is printed beside it, for what RLS costs.
- **triage**: ``--actions`` acknowledge and then as many share actions
  (``TriageService`` as the hq login, each its own transaction: the audit row,
  its hash chain under the advisory lock, the deferred raw-SQL audit check,
  the change row), each timed from call to commit; p50/p95/max. Target: < 50 ms.
  The same actions by the owner (RLS bypassed, triggers still on) beside it, and
  the floor under any action in the same minute: a bare UPDATE of the post and its
  commit by the hq login (round trips and WAL flush on this machine now).

The database and the roles are dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import uuid

import psycopg
from sqlalchemy import insert, select, update

from bench.ingest import BATCH
from disaster_desk.core import station_admin
from disaster_desk.core.clock import SystemClock
from disaster_desk.core.db import Database
from disaster_desk.core.ingest import IngestService, RawPost
from disaster_desk.core.models import Post
from disaster_desk.core.triage import TriageService
from drills.metrics import nearest_rank

ADMIN = os.environ.get("DD_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def _posts(prefix: str, n: int) -> list[RawPost]:
    return [RawPost(source="x", external_id=f"{prefix}{i}",
                    text=f"北区中崎町{i % 5 + 1}丁目で火事 煙がすごい #大阪地震 {i}", author=f"user{i % 997}")
            for i in range(n)]


def ingest_rate(db: Database, prefix: str, n: int) -> float:
    service = IngestService(db, SystemClock())
    start = time.perf_counter()
    posts = _posts(prefix, n)  # timed, as in bench/ingest.py: building a RawPost passes the text boundary
    for i in range(0, n, BATCH):
        service.ingest(posts[i : i + BATCH])
    return n / (time.perf_counter() - start)


def bare_rate(db: Database, prefix: str, n: int) -> float:
    rows = IngestService(db, SystemClock()).rows(_posts(prefix, n))
    start = time.perf_counter()
    for i in range(0, n, BATCH):
        with db.engine.begin() as conn:
            conn.execute(insert(Post), rows[i : i + BATCH])
    return n / (time.perf_counter() - start)


def triage_ms(db: Database, post_ids: list[int], actor: str) -> dict[str, list[float]]:
    """Milliseconds per acknowledge, then per share (北区 + 消防局) of the same posts."""
    triage = TriageService(db, SystemClock())
    out: dict[str, list[float]] = {"acknowledge": [], "share": []}
    for post_id in post_ids:
        start = time.perf_counter()
        triage.acknowledge("post", post_id, actor=actor)
        out["acknowledge"].append((time.perf_counter() - start) * 1000)
    for post_id in post_ids:
        start = time.perf_counter()
        triage.share("post", post_id, ["北区", "消防局"], actor=actor, note="確認してください")
        out["share"].append((time.perf_counter() - start) * 1000)
    return out


def bare_update_ms(db: Database, post_ids: list[int]) -> list[float]:
    """The floor under a triage action: one UPDATE of the post and its commit, same login, no service."""
    out = []
    for post_id in post_ids:
        start = time.perf_counter()
        with db.engine.begin() as conn:
            conn.execute(update(Post).where(Post.id == post_id).values(urgency=Post.urgency))
        out.append((time.perf_counter() - start) * 1000)
    return out


def _summary(values: list[float]) -> str:
    return (f"p50 {statistics.median(values):6.1f} ms   p95 {nearest_rank(values, 0.95):6.1f} ms   "
            f"max {max(values):6.1f} ms   (n={len(values)})")


def _new_posts(db: Database, prefix: str, count: int) -> list[int]:
    with db.session() as s:
        return list(s.scalars(select(Post.id).where(Post.external_id.like(f"{prefix}%"), Post.state == "new")
                              .order_by(Post.id).limit(count)))


def measure(admin: str, n: int, actions: int) -> None:
    name = f"dd_bench_stations_{uuid.uuid4().hex[:8]}"
    prefix = f"b{uuid.uuid4().hex[:6]}_"
    os.environ["DD_ROLE_PREFIX"] = prefix
    admin = admin.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = admin.rsplit("/", 1)[0] + "/" + name
    opened: list[Database] = []
    try:
        station_admin.init(url)
        collector_url = station_admin.add_station(url, f"{prefix}collector", "collector")
        hq_url = station_admin.add_station(url, f"{prefix}hq", "hq")
        owner, collector, hq = (Database.open(u) for u in (url, collector_url, hq_url))
        opened += [owner, collector, hq]

        bare = bare_rate(collector, "b", n)
        ours = ingest_rate(collector, "a", n)
        # once more in the other order, best of each: the table grows between rounds and the machine is shared
        ours = max(ours, ingest_rate(collector, "c", n))
        bare = max(bare, bare_rate(collector, "d", n))
        owner_bare = bare_rate(owner, "e", n)
        print(f"ingest as the collector login (RLS + triggers): {ours:8.0f} posts/s   bare executemany by the same "
              f"login {bare:8.0f} rows/s   ratio {ours / bare:.2f}   (owner, RLS bypassed: bare {owner_bare:8.0f} "
              f"rows/s)", flush=True)

        hq_ids = _new_posts(owner, "a", actions)
        owner_ids = _new_posts(owner, "c", actions)
        as_hq = triage_ms(hq, hq_ids, "本部 ベンチ")
        as_owner = triage_ms(owner, owner_ids, "本部 ベンチ")
        floor = bare_update_ms(hq, hq_ids)
        for action in ("acknowledge", "share"):
            print(f"{action:11s} as the hq login   {_summary(as_hq[action])}")
            print(f"{action:11s} as the owner      {_summary(as_owner[action])}", flush=True)
        print(f"bare UPDATE + commit as the hq login {_summary(floor)}  (the floor under any action, this minute)")
        with owner.engine.connect() as conn:
            from disaster_desk.core import audit_chain

            result = audit_chain.verify(conn)
        print(f"audit chain after the run: {'intact' if result.ok else result.problem}, {result.rows} rows")
    finally:
        for db in opened:
            db.dispose()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            roles = [r for (r,) in conn.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s",
                                                 (prefix + "%",))]
            for role in sorted(roles, key=lambda r: "_dd_" in r):  # logins before their groups
                conn.execute(f"DROP ROLE {role}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench stations")
    parser.add_argument("--posts", type=int, default=20000, help="posts per ingest round (default 20,000)")
    parser.add_argument("--actions", type=int, default=200, help="acknowledge and share actions each (default 200)")
    parser.add_argument("--db", default=ADMIN, help="an admin URL of the PostgreSQL server")
    args = parser.parse_args(argv or [])
    measure(args.db, args.posts, args.actions)


if __name__ == "__main__":
    main()
