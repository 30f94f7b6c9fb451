"""The replay engine: APScheduler at a finite speed, pause/resume, jump, stop, findings."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from disaster_desk.core.models import AuditEntry, DrillEvent, DrillRun, Post
from disaster_desk.errors import UserError
from drills.engine import DrillEngine
from drills.scenario import parse_scenario


def test_finite_speed_runs_on_apscheduler_with_the_same_outcome(sqlite_db, small_scenario, keyword_analyser):
    speed = 960 / 1.5  # 16 min in ~1.5 s
    engine = DrillEngine(small_scenario, sqlite_db, speed=speed, analyser=keyword_analyser)
    began = time.monotonic()
    m = engine.run_to_end(timeout=30)
    wall = time.monotonic() - began
    assert engine.status == "finished" and wall >= 960 / speed - 0.1  # never faster than the speed
    assert (m["posts_collected"], m["items_shared"], m["reports_received"]["muster"]) == (4, 3, 3)
    assert m["speed"] == 640.0
    # Each inject plays at its scenario time (scheduled by wall time = Δt / speed), measured on the
    # engine's own clock so that a loaded machine (slow inserts) does not count as scheduler lag: an
    # inject starts never before its time, and no later than its time or the end of the inject before
    # it (the engine plays one at a time) plus the scheduler's wake-up, bounded by 1 s of wall time.
    with sqlite_db.session() as s:
        events = s.scalars(select(DrillEvent).where(DrillEvent.kind == "inject").order_by(DrillEvent.id)).all()
    assert [e.data["scheduled_s"] for e in events] == sorted(i.at_s for i in small_scenario.injects)
    wake_slack = 1.0 * speed  # scenario seconds
    previous_end = 0.0
    for e in events:
        started, scheduled = e.data["started_s"], e.data["scheduled_s"]
        assert scheduled <= started <= max(scheduled, previous_end) + wake_slack, (e.data, previous_end)
        assert started <= e.t_s
        previous_end = e.t_s


def test_pause_freezes_the_scenario_clock_and_resume_continues(sqlite_db, small_scenario, keyword_analyser):
    engine = DrillEngine(small_scenario, sqlite_db, speed=100.0, analyser=keyword_analyser)
    engine.start()
    engine.pause()
    frozen = engine.clock.elapsed()
    time.sleep(0.1)
    assert engine.clock.elapsed() == frozen and engine.paused
    assert engine.step_due() == 0
    engine.resume()
    time.sleep(0.4)  # 40 scenario seconds: the posts at 30 s is due
    assert engine.step_due() == 1
    engine.stop()
    with sqlite_db.session() as s:
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.item_id == engine.run_id)
                            .order_by(AuditEntry.id)).all()
    assert actions == ["drill.start", "drill.pause", "drill.resume", "drill.stop"]  # controller actions are audited


def test_jump_plays_skipped_injects_at_their_own_times(sqlite_db, small_scenario, keyword_analyser):
    engine = DrillEngine(small_scenario, sqlite_db, speed=1.0, analyser=keyword_analyser)
    engine.start()
    engine.jump(300)
    with sqlite_db.session() as s:
        times = sorted(
            (p.collected_at - small_scenario.start).total_seconds()
            for p in s.scalars(select(Post).where(Post.run_id == engine.run_id))
        )
    assert times == [30.0, 60.0, 120.0, 180.0]
    m = engine.metrics()
    assert m["muster"] == [{"t_s": 300.0, "arrived": 12, "expected": 80}]
    assert m["ended_at"] is None  # still running: live metrics
    engine.jump(10_000)
    assert engine.finished and engine.metrics()["items_shared"] == 3


def test_stop_ends_the_run_and_stores_its_metrics(sqlite_db, small_scenario, keyword_analyser):
    engine = DrillEngine(small_scenario, sqlite_db, speed=1.0, analyser=keyword_analyser)
    engine.start()
    engine.jump(200)
    engine.stop()
    with sqlite_db.session() as s:
        run = s.get(DrillRun, engine.run_id)
    assert run.status == "stopped" and run.metrics["posts_collected"] == 4 and run.ended_at is not None
    assert engine.step_due() == 0


def test_an_action_the_triage_refuses_is_a_finding_not_a_crash(sqlite_db, keyword_analyser):
    scenario = parse_scenario("""
name: refused
start: 2026-01-17T05:46:00+09:00
injects:
  - {at: 10, kind: post, text: "北区で火事"}
  - {at: 20, kind: action, action: dismiss, match: {text_contains: 火事}}
  - {at: 30, kind: action, action: share, match: {text_contains: 火事}, to: [北区]}
""")
    engine = DrillEngine(scenario, sqlite_db, speed=None, analyser=keyword_analyser)
    m = engine.run_to_end()
    assert engine.status == "finished" and m["items_shared"] == 0
    with sqlite_db.session() as s:
        findings = s.scalars(select(DrillEvent).where(DrillEvent.kind == "finding")).all()
    assert [(f.data["index"], f.t_s) for f in findings] == [(2, 30.0)]
    assert findings[0].data["message"].startswith("共有できませんでした（投稿 ")


def test_checklist_tick_is_audited_and_validated(sqlite_db, small_scenario, keyword_analyser):
    engine = DrillEngine(small_scenario, sqlite_db, speed=None, analyser=keyword_analyser)
    with pytest.raises(UserError):
        engine.tick_checklist("net", "op")  # not started
    engine.start()
    engine.jump(100)
    assert engine.tick_checklist("sns", "controller") == 100.0
    with pytest.raises(UserError, match="coffee"):
        engine.tick_checklist("coffee", "controller")
    with sqlite_db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "drill.checklist")).one()
    assert (entry.who, entry.mode, entry.run_id, entry.after["item"]) == ("controller", "drill", engine.run_id, "sns")
    m = engine.run_to_end()
    assert {c["id"]: c["done_at_s"] for c in m["checklist"]} == {"net": 420.0, "hq-open": 960.0, "sns": 100.0}


def test_bad_speed_is_refused(sqlite_db, small_scenario):
    with pytest.raises(UserError):
        DrillEngine(small_scenario, sqlite_db, speed=0, analyser=object())


class BrokenAnalyser:
    """Breaks its contract on the second batch (no result at all): a bug, not a post it cannot read.

    (A post the analyser fails on is marked 未解析 and the drill goes on: tests/core/test_analysis.py.)
    """

    version = "broken"

    def __init__(self, good):
        self.good, self.calls = good, 0

    def analyse(self, texts):
        self.calls += 1
        if self.calls > 1:
            return []
        return self.good.analyse(texts)


@pytest.mark.parametrize("speed", [None, 2000.0], ids=["max", "apscheduler"])
def test_an_unexpected_error_ends_the_run_as_failed_instead_of_hanging(sqlite_db, small_scenario, keyword_analyser,
                                                                        speed):
    engine = DrillEngine(small_scenario, sqlite_db, speed=speed, analyser=BrokenAnalyser(keyword_analyser))
    m = engine.run_to_end(timeout=30)
    assert engine.finished and engine.status == "failed"
    assert engine.error.startswith("ValueError: zip()")
    assert m["posts_collected"] == 2 and m["posts_relevant"] == 1  # stored first, analysed second (rule 6)
    with sqlite_db.session() as s:
        assert s.get(DrillRun, engine.run_id).status == "failed"
