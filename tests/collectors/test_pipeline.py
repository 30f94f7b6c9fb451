"""The pipeline's order: store, then checkpoint, then analysis; analysis failures lose nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from collectors.pipeline import Pipeline
from disaster_desk.core.analysis import PostAnalysis
from disaster_desk.core.ingest import RawPost
from disaster_desk.core.models import Analysis, Post


class BrokenAnalyser:
    version = "broken-1"

    def analyse(self, texts):
        raise RuntimeError("model crashed")


def no_model():
    """An analyser provider whose model cannot be loaded: the posts stay pending."""
    raise RuntimeError("model not loaded")


class FireAnalyser:
    """A stand-in at the analyser interface: labels posts mentioning 火事 as fire."""

    version = "fire-1"

    def analyse(self, texts):
        return [PostAnalysis(labels=["fire"] if "火事" in t else ["none"]) for t in texts]


def raw(i: int, text: str = "北区で火事") -> RawPost:
    return RawPost(source="replay", external_id=f"p{i}", text=text)


def test_analysis_failure_keeps_posts_and_checkpoint(db, clock):
    pipeline = Pipeline(db, clock, analyser_provider=no_model)
    result = pipeline.store([raw(1), raw(2)], checkpoint=("replay:test", {"next_line": 3}))
    assert result.stored == 2 and pipeline.analysis_errors == 1
    assert pipeline.checkpoint("replay:test") == {"next_line": 3}
    with db.session() as s:
        assert s.scalar(select(func.count(Post.id))) == 2
        assert s.scalar(select(func.count(Analysis.id))) == 0

    # A later process with a working analyser catches up on the pending posts.
    fixed = Pipeline(db, clock, analyser_provider=FireAnalyser)
    assert fixed.analyse_pending() == 2
    with db.session() as s:
        assert s.scalars(select(Analysis.labels)).all() == [["fire"], ["fire"]]


def test_posts_the_analyser_fails_on_are_marked_and_not_retried_by_the_catch_up(db, clock):
    pipeline = Pipeline(db, clock, analyser_provider=BrokenAnalyser)
    assert pipeline.store([raw(1), raw(2)]).stored == 2
    with db.session() as s:
        errors = s.scalars(select(Analysis.error)).all()
    assert errors == ["RuntimeError: model crashed"] * 2
    assert pipeline.analyse_pending() == 0  # marked failed, not pending: no loop


def test_new_posts_are_analysed_after_storing(db, clock):
    pipeline = Pipeline(db, clock, analyser_provider=FireAnalyser)
    pipeline.store([raw(1), raw(2, "晴れています")])
    pipeline.store([raw(1)])  # a duplicate is neither stored nor analysed again
    with db.session() as s:
        rows = s.execute(select(Post.external_id, Analysis.labels).join(Analysis)).all()
    assert sorted(rows) == [("p1", ["fire"]), ("p2", ["none"])]


def test_an_invalid_post_is_dropped_and_the_batch_kept(db, clock, caplog):
    pipeline = Pipeline(db, clock)
    result = pipeline.store([raw(1), RawPost(source="x", external_id="bad", text=" "), raw(3)])
    assert result.stored == 2
    assert "x/bad skipped" in caplog.text


def test_drill_scope_keeps_its_own_checkpoints(db, clock):
    from disaster_desk.core.modes import Scope

    real = Pipeline(db, clock)
    drill = Pipeline(db, clock, scope=Scope.drill("run-42"))
    real.save_checkpoint("replay:f", {"next_line": 10})
    drill.save_checkpoint("replay:f", {"next_line": 2})
    assert real.checkpoint("replay:f") == {"next_line": 10}
    assert drill.checkpoint("replay:f") == {"next_line": 2}


def test_replayed_posts_are_analysed_by_the_real_analyser(tmp_path, db, clock, analyser):
    import json

    from collectors.base import RunContext
    from collectors.replay import ReplayCollector

    path = tmp_path / "p.jsonl"
    path.write_text(
        "\n".join(
            json.dumps({"id": i, "text": t}, ensure_ascii=False)
            for i, t in enumerate(["北区中崎町で火事です。煙がすごい", "今日はいい天気ですね"])
        ),
        encoding="utf-8",
    )
    pipeline = Pipeline(db, clock, analyser_provider=lambda: analyser)
    ReplayCollector(path).run(RunContext(pipeline))
    with db.session() as s:
        rows = dict(s.execute(select(Post.external_id, Analysis.labels).join(Analysis)).all())
    assert "fire" in rows["0"]
    assert "fire" not in rows["1"]


def test_pending_analysis_runs_as_a_scheduled_job(db, clock):
    from collectors.scheduler import CollectorScheduler, PendingAnalysis

    Pipeline(db, clock, analyser_provider=no_model).store([raw(1), raw(2)])
    scheduler = CollectorScheduler([PendingAnalysis()], Pipeline(db, clock, analyser_provider=FireAnalyser))
    status = scheduler.run_once("analysis")
    assert (status.state, status.items) == ("ok", 2)
    assert scheduler.run_once("analysis").items == 0


def test_no_checkpoint_moves_when_storing_fails(db, clock, monkeypatch):
    import pytest

    pipeline = Pipeline(db, clock)
    pipeline.save_checkpoint("x:q", {"since_id": "100"})

    def fail(posts):
        raise RuntimeError("database went away")

    monkeypatch.setattr(pipeline.ingest_service, "ingest", fail)
    with pytest.raises(RuntimeError):
        pipeline.store([raw(1)], checkpoint=("x:q", {"since_id": "200"}))
    assert pipeline.checkpoint("x:q") == {"since_id": "100"}  # the next run fetches those posts again


def test_a_refused_post_is_counted_in_the_status_and_the_checkpoint_moves_past_it(db, clock):
    from datetime import datetime, timezone

    from collectors.base import Collector
    from collectors.scheduler import CollectorScheduler
    from collectors.status import StatusStore

    class OneBatch(Collector):
        name = "poisoned"

        def run(self, ctx):
            poison = RawPost(source="replay", external_id="bad", text="火事", raw={"at": datetime.now(timezone.utc)})
            ctx.store([raw(1), poison, raw(3), RawPost(source="replay", external_id="empty", text="\x00")],
                      checkpoint=("poisoned", {"next": 5}))

    pipeline = Pipeline(db, clock, analyser_provider=FireAnalyser)
    status = CollectorScheduler([OneBatch()], pipeline).run_once("poisoned")
    assert (status.state, status.items, status.refused) == ("ok", 2, 2)
    assert status.last_refused.startswith("replay/bad: TypeError")  # the invalid one is listed first
    assert pipeline.checkpoint("poisoned") == {"next": 5}
    (stored,) = StatusStore(db, clock).load_all()
    assert (stored.refused, stored.last_refused) == (2, status.last_refused)
    with db.session() as s:
        assert s.scalar(select(func.count(Analysis.id))) == 2
