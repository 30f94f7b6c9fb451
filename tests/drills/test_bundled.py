"""The bundled scenarios play unattended at max speed through the real analyser and give non-trivial KPIs."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from disaster_desk.core.models import DrillEvent
from drills.engine import DrillEngine
from drills.report import muster_rate_at, render_report
from drills.scenario import bundled_scenarios, load_scenario


@pytest.mark.parametrize("path", bundled_scenarios(), ids=lambda p: p.stem)
def test_bundled_scenario_runs_at_max_speed(sqlite_db, analyser, path):
    scenario = load_scenario(path)
    engine = DrillEngine(scenario, sqlite_db, speed=None, analyser=analyser)
    m = engine.run_to_end()

    assert engine.status == "finished"
    assert m["posts_injected"] == m["posts_collected"] == scenario.post_count
    # noise and out-of-area posts exist, but most posts are about the disaster
    assert scenario.post_count // 2 <= m["posts_relevant"] < scenario.post_count
    assert m["posts_by_label"].get("none", 0) >= 5
    assert m["items_shared"] >= 10 and m["time_to_share_s"]["count"] == m["items_shared"]
    assert len(m["time_to_first_report_s"]) >= 8
    assert all(v > 0 for v in m["reports_received"].values())
    assert sum(c["done_at_s"] is not None for c in m["checklist"]) >= 5
    assert any(c["done_at_s"] is None for c in m["checklist"])  # something is left for the operators
    assert muster_rate_at(m["muster"], scenario.muster_target_at_s) is not None
    with sqlite_db.session() as s:
        findings = s.scalars(select(DrillEvent).where(DrillEvent.run_id == engine.run_id,
                                                      DrillEvent.kind == "finding")).all()
    assert len(findings) == 1  # each scenario scripts one share of an item that never arrives
    assert "訓練 — EXERCISE" in render_report(sqlite_db, engine.run_id, scenario)
