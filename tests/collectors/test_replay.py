"""Replay of JSONL/CSV post files through the real ingest path."""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import func, select

from collectors.base import RunContext
from collectors.replay import ReplayCollector, file_key, record_to_post
from disaster_desk.core.models import CollectorCheckpoint, Post
from disaster_desk.errors import ValidationError


def write_jsonl(path, n, start=0, extra_lines=()):
    with path.open("w", encoding="utf-8") as fh:
        for i in range(start, start + n):
            fh.write(json.dumps({"id": f"r{i}", "text": f"北区で火事 {i}", "created_at": "2026-01-17T05:50:00+09:00"}, ensure_ascii=False) + "\n")
        for line in extra_lines:
            fh.write(line + "\n")
    return path


def count(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count(Post.id)))


def test_bad_lines_are_named_and_the_good_ones_kept(tmp_path, ctx, db):
    path = tmp_path / "posts.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"id": "a", "text": "梅田で停電", "created_at": "2026-01-17T06:00:00", "author": "u1"}, ensure_ascii=False),
                "{not json",
                json.dumps({"id": "b", "text": ""}),
                json.dumps({"text": "id がない"}, ensure_ascii=False),
                json.dumps({"id": "c", "text": "ok", "created_at": "yesterday"}),
                "",
                json.dumps({"id": 7, "text": "数字のid", "source": "x"}, ensure_ascii=False),
            ]
        ),
        encoding="utf-8",
    )
    replay = ReplayCollector(path)
    replay.run(ctx)
    assert [(p.line, p.message.split(":")[0]) for p in replay.report.problems] == [
        (2, "line 2"),
        (3, "line 3, field 'text'"),
        (4, "line 4, field 'id'"),
        (5, "line 5, field 'created_at'"),
    ]
    with db.session() as s:
        rows = {(p.source, p.external_id): p for p in s.scalars(select(Post))}
    assert set(rows) == {("replay", "a"), ("x", "7")}
    a = rows[("replay", "a")]
    assert a.author == "u1" and a.created_at.isoformat() == "2026-01-16T21:00:00+00:00"  # no zone = JST


def test_replaying_the_same_file_again_stores_nothing_twice(tmp_path, ctx, db, pipeline):
    path = write_jsonl(tmp_path / "p.jsonl", 450)
    ReplayCollector(path, batch=100).run(ctx)
    assert count(db) == 450
    # Even without the checkpoint (another station, or the checkpoint lost), nothing is stored twice.
    with db.session() as s:
        s.delete(s.get(CollectorCheckpoint, file_key(path)))
    again = ReplayCollector(path, batch=100)
    again.run(RunContext(pipeline))
    assert (count(db), again.report.stored, again.report.duplicates) == (450, 0, 450)


def test_a_stopped_replay_resumes_after_its_last_stored_batch(tmp_path, pipeline, db, clock, sleep):
    path = write_jsonl(tmp_path / "p.jsonl", 100)
    stop = threading.Event()

    def sleep_then_stop(seconds):
        sleep(seconds)
        if clock.now() >= start_time + _secs(30):
            stop.set()

    start_time = clock.now()
    first = ReplayCollector(path, rate=1.0)
    first.run(RunContext(pipeline, stop=stop, sleep=sleep_then_stop))
    stored_first = count(db)
    assert 25 <= stored_first <= 35  # paced at 1 post/s on the manual clock, stopped after ~30 s
    assert abs(sum(sleep.calls) - 30) <= 1.0

    second = ReplayCollector(path)
    second.run(RunContext(pipeline))
    assert second.report.resumed_at_line == stored_first + 1
    assert second.report.duplicates == 0
    assert count(db) == 100


def _secs(s):
    from datetime import timedelta

    return timedelta(seconds=s)


def test_rate_paces_on_the_clock(tmp_path, ctx, sleep):
    path = write_jsonl(tmp_path / "p.jsonl", 50)
    ReplayCollector(path, rate=10.0).run(ctx)
    assert ctx.items == 50
    assert sum(sleep.calls) == pytest.approx(4.9, abs=0.01)  # post i is due at i/10 s


def test_csv_files_replay_too(tmp_path, ctx, db):
    path = tmp_path / "posts.csv"
    path.write_text(
        "id,text,created_at,author\n"
        'c1,"天王寺で火事,煙",2026-01-17T06:00:00+09:00,hanako\n'
        "c2,,2026-01-17T06:01:00+09:00,\n"
        'c3,"複数行の\n投稿",,\n',
        encoding="utf-8",
    )
    replay = ReplayCollector(path)
    replay.run(ctx)
    assert [p.line for p in replay.report.problems] == [3]
    with db.session() as s:
        texts = dict(s.execute(select(Post.external_id, Post.text)).all())
    assert texts == {"c1": "天王寺で火事,煙", "c3": "複数行の\n投稿"}


def test_record_errors_name_line_and_field():
    with pytest.raises(ValidationError, match="line 9, field 'source'"):
        record_to_post({"id": "1", "text": "t", "source": "facebook"}, 9)
    with pytest.raises(ValidationError, match="line 3: expected a JSON object"):
        record_to_post(["a"], 3)


def test_a_hostile_replay_stores_and_analyses_every_post(tmp_path, db, clock, analyser):
    """The issue's replay: ordinary posts mixed with each kind of hostile text, nothing lost, on both engines."""
    from collectors.pipeline import Pipeline
    from disaster_desk.core.models import Analysis
    from tests.hostile import HOSTILE

    path = write_jsonl(tmp_path / "mixed.jsonl", 200)
    with path.open("a", encoding="utf-8") as fh:  # json.dumps escapes lone surrogates as \ud83d, as APIs send them
        for kind, text in HOSTILE.items():
            fh.write(json.dumps({"id": kind, "text": text, "author": "a\x00"}) + "\n")
    pipeline = Pipeline(db, clock, analyser_provider=lambda: analyser)
    replay = ReplayCollector(path)
    replay.run(RunContext(pipeline))
    assert replay.report.problems == [] and replay.report.stored == 200 + len(HOSTILE)
    with db.session() as s:
        assert s.scalar(select(func.count(Post.id))) == 200 + len(HOSTILE)
        assert s.scalar(select(func.count(Analysis.id))) == 200 + len(HOSTILE)
    assert pipeline.analysis_errors == 0
