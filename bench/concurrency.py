"""Ingest while operators work: grouping next to triage and exports, on PostgreSQL (issue 12, acceptance 2).

``python -m bench concurrency [--posts 20000] [--db URL] [--batch 100]``

One process does what the collectors do: ingest a batch of posts, analyse it,
group it (``AnalysisService.analyse_ids`` → ``GroupingService.process``). A
second process is the operator: it reads the newest relevant posts with their
versions, as the queue shows them, acknowledges, verifies and shares them with
that version, and exports GeoJSON, CSV and CAP every few actions. It is the
only operator, so every ConflictError it gets is a refusal it did not cause.

The analyser is a fixed rule over the generated text (label, ward, place),
so the bench measures storage, grouping and triage, not GiNZA (bench nlp does).
The posts: a share relevant (fire/rescue/flood at 400 places, each place
recurring, so every relevant post belongs to an incident) and the rest chatter.

Reported: relevant posts, those left without an incident after the pipeline
and after the periodic pass, grouping failures (StaleDataError or any
other), operator actions done and refused, exports written, throughput.
Without ``--db`` a throwaway database on 127.0.0.1:5432 is created and dropped.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing as mp
import os
import re
import tempfile
import time
import uuid
from collections.abc import Sequence

from sqlalchemy import func, select

from disaster_desk.core.analysis import AnalysisService, PostAnalysis
from disaster_desk.core.clock import SystemClock
from disaster_desk.core.db import Database
from disaster_desk.core.ingest import IngestService, RawPost
from disaster_desk.core.models import Incident, Post

PG_ADMIN = os.environ.get("DD_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
PLACES = 400
LABELS = ("fire", "rescue", "flood")
_TEXT = re.compile(r"^(?P<ward>\S+区)(?P<place>\S+?)で(?P<what>火災|閉じ込め|浸水) ")
_WHAT = {"火災": "fire", "閉じ込め": "rescue", "浸水": "flood"}
_WARDS = ("北区", "中央区", "西区", "港区", "淀川区", "住吉区", "平野区", "東成区")


class RuleAnalyser:
    """Label, ward and place read back from the generated text (no NLP: this bench is about storage)."""

    version = "bench-concurrency-1"

    def analyse(self, texts: Sequence[str]) -> list[PostAnalysis]:
        out = []
        for text in texts:
            m = _TEXT.match(text)
            if m is None:
                out.append(PostAnalysis(labels=["none"]))
            else:
                out.append(PostAnalysis(labels=[_WHAT[m["what"]]], ward=m["ward"], place=m["place"],
                                        precision="town"))
        return out


def _post(i: int) -> RawPost:
    if i % 5 < 3:  # 60 % relevant
        place = i % PLACES
        what = ("火災", "閉じ込め", "浸水")[place % 3]
        text = f"{_WARDS[place % len(_WARDS)]}町{place}丁目で{what} {uuid.uuid4().hex} まだ続いている"
    else:
        text = f"今日は寒い {uuid.uuid4().hex}"
    return RawPost(source="x", external_id=f"bench-{i}", text=text, author=f"user{i % 997}")


def _operator(url: str, stop: mp.Event, out: mp.Queue) -> None:  # type: ignore[type-arg]
    """The second process: triage the newest relevant posts with the version it read, export now and then."""
    from disaster_desk.core.exports.cap import export_cap
    from disaster_desk.core.exports.csv_export import export_csv
    from disaster_desk.core.exports.geojson import export_geojson
    from disaster_desk.core.modes import REAL_SCOPE
    from disaster_desk.core.triage import TriageService
    from disaster_desk.errors import ConflictError

    db = Database.open(url, migrate=False)
    triage = TriageService(db, SystemClock())
    done = refused = exports = 0
    latencies: list[float] = []
    refusals: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        while not stop.is_set():
            with db.session() as s:
                rows = s.execute(
                    select(Post.id, Post.version, Post.state).where(
                        Post.urgency > 0, Post.state.in_(("new", "acknowledged", "verified")))
                    .order_by(Post.id.desc()).limit(20)
                ).all()
            if not rows:
                time.sleep(0.2)
                continue
            for post_id, version, state in rows:
                start = time.perf_counter()
                try:
                    if state == "new":
                        triage.acknowledge("post", post_id, actor="bench-op", expected_version=version)
                    elif state == "acknowledged":
                        triage.verify("post", post_id, actor="bench-op", expected_version=version)
                    else:
                        triage.share("post", post_id, ["消防局"], actor="bench-op", expected_version=version)
                    done += 1
                except ConflictError as exc:
                    refused += 1
                    refusals.append(f"post {post_id}: {exc}")
                latencies.append(time.perf_counter() - start)
            export_geojson(db, REAL_SCOPE, f"{tmp}/x.geojson")
            export_csv(db, REAL_SCOPE, f"{tmp}/x.csv")
            if exports % 10 == 0:
                export_cap(db, REAL_SCOPE, f"{tmp}/cap")
            exports += 1
    db.dispose()
    latencies.sort()
    out.put({"done": done, "refused": refused, "exports": exports, "refusals": refusals[:5],
             "p50_ms": 1000 * latencies[len(latencies) // 2] if latencies else 0.0,
             "p95_ms": 1000 * latencies[int(len(latencies) * 0.95)] if latencies else 0.0})


class _Count(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage() + (f" ({record.exc_info[0].__name__})" if record.exc_info and record.exc_info[0] else ""))


def _ungrouped(db: Database) -> tuple[int, int, int]:
    with db.session() as s:
        relevant = s.scalar(select(func.count()).select_from(Post).where(Post.urgency > 0,
                                                                          Post.duplicate_of.is_(None)))
        left = s.scalar(select(func.count()).select_from(Post).where(Post.urgency > 0, Post.duplicate_of.is_(None),
                                                                      Post.incident_id.is_(None)))
        incidents = s.scalar(select(func.count()).select_from(Incident))
    return relevant, left, incidents


def run(url: str, n: int, batch: int) -> dict:
    from disaster_desk.core.grouping import GroupingService

    db = Database.open(url)
    clock = SystemClock()
    failures = _Count()
    logging.getLogger("disaster_desk").addHandler(failures)
    ctx = mp.get_context("spawn")
    stop, out = ctx.Event(), ctx.Queue()
    operator = ctx.Process(target=_operator, args=(url, stop, out))
    operator.start()
    ingest, analysis = IngestService(db, clock), AnalysisService(db, RuleAnalyser(), clock)
    start = time.perf_counter()
    try:
        for i in range(0, n, batch):
            result = ingest.ingest([_post(j) for j in range(i, min(n, i + batch))])
            analysis.analyse_ids(result.new_ids)  # analyse, then group (the pipeline's hook)
        elapsed = time.perf_counter() - start
        after_pipeline = _ungrouped(db)
        GroupingService(db, clock).group_ungrouped()  # the scheduler's periodic pass
        after_pass = _ungrouped(db)
    finally:
        time.sleep(1.0)  # the operator works on the last batch too
        stop.set()
        operator.join(120)
        logging.getLogger("disaster_desk").removeHandler(failures)
        db.dispose()
    op = out.get(timeout=10)
    return {"posts": n, "elapsed_s": elapsed, "posts_per_s": n / elapsed, "relevant": after_pipeline[0],
            "ungrouped_after_pipeline": after_pipeline[1], "ungrouped_after_pass": after_pass[1],
            "incidents": after_pass[2], "grouping_failures": len(failures.messages),
            "failure_samples": failures.messages[:3], **op}


def main(argv: Sequence[str] = ()) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench concurrency")
    parser.add_argument("--posts", type=int, default=int(os.environ.get("DD_BENCH_CONCURRENCY_N", "20000")))
    parser.add_argument("--db", help="PostgreSQL URL (default: a throwaway database on 127.0.0.1:5432)")
    parser.add_argument("--batch", type=int, default=100, help="posts per ingest batch (as a collector page)")
    args = parser.parse_args(list(argv))
    if args.db:
        report = run(args.db, args.posts, args.batch)
    else:
        import psycopg

        name = f"dd_bench_{uuid.uuid4().hex[:8]}"
        admin = PG_ADMIN.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            report = run(admin.rsplit("/", 1)[0] + "/" + name, args.posts, args.batch)
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    print(f"posts {report['posts']} in {report['elapsed_s']:.1f} s ({report['posts_per_s']:.0f}/s), "
          f"relevant {report['relevant']}, incidents {report['incidents']}")
    print(f"ungrouped relevant posts: {report['ungrouped_after_pipeline']} after the pipeline, "
          f"{report['ungrouped_after_pass']} after the periodic pass; grouping failures {report['grouping_failures']}"
          + (f" e.g. {report['failure_samples']}" if report["failure_samples"] else ""))
    print(f"operator: {report['done']} actions, {report['refused']} refused as conflicts"
          + (f" e.g. {report['refusals']}" if report["refusals"] else "")
          + f"; latency p50 {report['p50_ms']:.0f} ms p95 {report['p95_ms']:.0f} ms; {report['exports']} export rounds")
