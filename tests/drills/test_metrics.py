"""Replay data/small.yaml at max speed and check every metric against hand-worked values.

How the expected values follow from the scenario (times in scenario seconds):
- posts at 30 (都島区 停電), 60 (中崎町 火事), 120 (ランチ: noise), 180 (倒壊 救助)
  → 4 injected, 4 collected, 3 relevant; labels lifeline, fire, none, building+rescue.
- reports: shelter 北区 @240, muster 北区 @300 (12/80), muster 淀川区 @360 (10/60),
  damage 淀川区 @540, system (no ward) @600, muster 北区 @660 (40/80).
- shares: 中崎町 post (received 60) @480 → 420 s; 十三大橋 damage report
  (received 540) @720 → 180 s; 住民情報 system report (received 600) @900 → 300 s;
  the share @840 matches nothing (a finding). Sorted [180, 300, 420]:
  median 300, p90 = rank ceil(0.9·3)=3 → 420, max 420.
- first report per ward: 北区 240, 淀川区 360.
- muster totals after each muster report: 300 → 12/80; 360 → 22/140;
  660 → 北区 latest 40 + 淀川区 10 = 50 / 140.
- checklist: net ticked @420, hq-open @960, sns never.
"""

from __future__ import annotations

from sqlalchemy import select

from disaster_desk.core.models import DrillEvent, DrillRun
from drills.engine import DrillEngine


def test_small_scenario_metrics_by_hand(db, small_scenario, keyword_analyser):
    engine = DrillEngine(small_scenario, db, speed=None, analyser=keyword_analyser)
    m = engine.run_to_end()

    assert engine.finished
    assert m["scenario"] == "小規模テスト訓練"
    assert m["run_id"] == engine.run_id
    assert m["speed"] == "max"
    assert m["started_at"] and m["ended_at"] and m["ended_at"] >= m["started_at"]
    assert m["posts_injected"] == 4
    assert m["posts_collected"] == 4
    assert m["posts_relevant"] == 3
    assert m["posts_by_label"] == {"building": 1, "fire": 1, "lifeline": 1, "none": 1, "rescue": 1}
    assert m["reports_received"] == {"shelter": 1, "damage": 1, "muster": 3, "system": 1}
    assert m["items_shared"] == 3
    assert m["time_to_share_s"] == {"count": 3, "median": 300.0, "p90": 420.0, "max": 420.0}
    assert m["time_to_first_report_s"] == {"北区": 240.0, "淀川区": 360.0}
    assert m["muster"] == [
        {"t_s": 300.0, "arrived": 12, "expected": 80},
        {"t_s": 360.0, "arrived": 22, "expected": 140},
        {"t_s": 660.0, "arrived": 50, "expected": 140},
    ]
    assert m["checklist"] == [
        {"id": "net", "done_at_s": 420.0, "by": "scripted"},
        {"id": "hq-open", "done_at_s": 960.0, "by": "scripted"},
        {"id": "sns", "done_at_s": None, "by": None},
    ]
    latency = m["pipeline_latency_ms"]
    assert 0 < latency["median"] <= latency["p95"]
    assert set(m) == {
        "scenario", "run_id", "speed", "started_at", "ended_at", "posts_injected", "posts_collected",
        "posts_relevant", "posts_by_label", "reports_received", "items_shared", "time_to_share_s",
        "time_to_first_report_s", "muster", "checklist", "pipeline_latency_ms",
        "items_shared_by", "alerts_received",  # additive (issue 16)
        "audit_chain_head",  # additive (issue 13)
    }
    assert m["items_shared_by"] == {"human": 0, "scripted": 3} and m["alerts_received"] == 0

    with db.session() as s:
        run = s.get(DrillRun, engine.run_id)
        assert run.status == "finished" and run.metrics == m
        findings = s.scalars(select(DrillEvent).where(DrillEvent.run_id == engine.run_id, DrillEvent.kind == "finding")).all()
    assert [(f.data["index"], f.t_s) for f in findings] == [(13, 840.0)]
    assert "存在しない場所" in findings[0].data["message"]


def test_a_shared_incident_counts_from_its_first_post(sqlite_db, small_scenario, keyword_analyser):
    from datetime import timedelta

    from disaster_desk.core.models import Incident, Post
    from disaster_desk.core.triage import TriageService

    engine = DrillEngine(small_scenario, sqlite_db, speed=None, analyser=keyword_analyser)
    engine.start()
    engine.jump(200)  # posts at 30, 60, 120, 180 have arrived
    with sqlite_db.session() as s:
        first = s.scalars(select(Post).where(Post.run_id == engine.run_id).order_by(Post.collected_at)).first()
        incident = Incident(label="lifeline", first_at=first.collected_at + timedelta(seconds=5),
                            last_at=first.collected_at, **engine.scope.columns())
        s.add(incident)
        s.flush()
        first.incident_id = incident.id
        incident_id = incident.id
    triage = TriageService(sqlite_db, engine.clock, engine.scope)
    triage.acknowledge("incident", incident_id, actor="op")
    triage.share("incident", incident_id, ["都島区"], actor="op")
    m = engine.metrics()
    assert m["items_shared"] == 1
    assert m["time_to_share_s"] == {"count": 1, "median": 170.0, "p90": 170.0, "max": 170.0}  # 200 - 30
