"""Replay collector throughput: ingest + analysis (posts/s), against bare ingest in the same run.

Three paths over the same synthetic JSONL file on a fresh SQLite database:
``ingest`` = IngestService directly on pre-built posts (baseline); ``replay``
= the replay collector (read, validate, checkpoint, ingest) without analysis;
``replay+analysis`` = the same with the real NLP analyser (GiNZA). Ratios are
against the baseline measured in the same run.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from collectors.base import RunContext
from collectors.pipeline import Pipeline
from collectors.replay import BATCH, ReplayCollector
from disaster_desk.core.clock import SystemClock
from disaster_desk.core.db import Database
from disaster_desk.core.ingest import IngestService, RawPost

N = int(os.environ.get("DD_BENCH_COLLECT_N", "20000"))
N_ANALYSE = int(os.environ.get("DD_BENCH_COLLECT_ANALYSE_N", "2000"))
TEXTS = [
    "北区中崎町{n}丁目で火事です。煙がすごい #大阪地震",
    "淀川区十三駅前が冠水して歩けません",
    "天王寺区の避難所、毛布が足りないそうです",
    "梅田で停電、信号が消えています",
    "今日は晴れ。散歩に行きます",
]


def _write(path: Path, n: int, prefix: str) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            record = {"id": f"{prefix}{i}", "text": TEXTS[i % len(TEXTS)].format(n=i % 5 + 1) + f" {i}",
                      "created_at": "2026-01-17T06:00:00+09:00", "author": f"user{i % 997}"}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def _rate(n: int, fn) -> float:
    start = time.perf_counter()
    fn()
    return n / (time.perf_counter() - start)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(f"sqlite:///{tmp}/bench.sqlite")
        clock = SystemClock()
        try:
            posts = [RawPost(source="replay", external_id=f"b{i}", text=TEXTS[i % 5].format(n=1) + f" {i}") for i in range(N)]
            service = IngestService(db, clock)
            baseline = _rate(N, lambda: [service.ingest(posts[i : i + BATCH]) for i in range(0, N, BATCH)])

            plain = _write(Path(tmp) / "plain.jsonl", N, "p")
            replay = _rate(N, lambda: ReplayCollector(plain).run(RunContext(Pipeline(db, clock))))

            from nlp.analyser import get_analyser

            analyser = get_analyser()
            analyser.analyse(["ウォームアップ"])
            analysed = _write(Path(tmp) / "analysed.jsonl", N_ANALYSE, "a")
            pipeline = Pipeline(db, clock, analyser_provider=lambda: analyser)
            full = _rate(N_ANALYSE, lambda: ReplayCollector(analysed).run(RunContext(pipeline)))
        finally:
            db.dispose()
    print(f"SQLite, {N} posts, batches of {BATCH}")
    print(f"  ingest only (baseline)        {baseline:10.0f} posts/s")
    print(f"  replay collector, no analysis {replay:10.0f} posts/s  ratio {replay / baseline:.2f}")
    print(f"  replay + analysis ({N_ANALYSE} posts) {full:8.0f} posts/s  ratio {full / baseline:.3f}")


if __name__ == "__main__":
    main()
