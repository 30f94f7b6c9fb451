"""The drill panel plays a scenario without blocking the GUI, shows live KPIs and writes the report."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from disaster_desk.core.models import AuditEntry, DrillEvent

SMALL = Path(__file__).resolve().parents[1] / "drills" / "data" / "small.yaml"


@pytest.fixture
def panel(qtbot, sqlite_db, analyser, tmp_path):
    from disaster_desk.ui.drill_panel import DrillPanel

    widget = DrillPanel(sqlite_db, lambda: analyser, actor="controller", out_dir=tmp_path, open_reports=False)
    qtbot.addWidget(widget)
    widget.add_scenario(SMALL)
    return widget


def test_bundled_scenarios_are_offered(panel):
    names = [panel.scenario_box.itemText(i) for i in range(panel.scenario_box.count())]
    assert {"uemachi", "typhoon-surge", "small"} <= set(names)


def test_max_speed_run_shows_kpis_and_writes_the_report(qtbot, panel, tmp_path):
    panel.speed_box.setCurrentText("max")
    with qtbot.waitSignal(panel.finished, timeout=30_000) as finished:
        qtbot.mouseClick(panel.start_button, qtbot_button())
    run_id = finished.args[0]
    # Hand-worked in tests/drills/test_metrics.py (analyser-independent figures):
    assert panel.kpi_text("shared") == "3"
    assert panel.kpi_text("reports") == "6"
    assert panel.kpi_text("wards") == "2"
    assert panel.kpi_text("muster") == "36%"  # 50 / 140
    assert panel.kpi_text("checklist") == "2/3"
    assert panel.kpi_text("collected") == "4"
    assert not panel._checks["net"].isEnabled() and panel._checks["sns"].isEnabled()
    assert panel.report_button.isEnabled()
    html = (tmp_path / run_id / "report.html").read_text(encoding="utf-8")
    assert "訓練 — EXERCISE" in html and (tmp_path / run_id / "metrics.json").exists()
    assert panel.start_button.isEnabled()  # ready for the next run


def test_pause_jump_and_a_manual_checklist_tick(qtbot, panel, sqlite_db):
    panel.speed_box.setCurrentText("1×")
    panel.start()
    engine = panel.engine
    qtbot.mouseClick(panel.pause_button, qtbot_button())
    assert engine.clock.paused and panel.pause_button.text() == "再開"
    frozen = engine.clock.elapsed()
    qtbot.wait(200)
    assert engine.clock.elapsed() == frozen
    qtbot.mouseClick(panel.pause_button, qtbot_button())
    assert not engine.clock.paused

    panel.jump(600)  # plays every inject up to 00:10:00 at its own time
    assert engine.clock.elapsed() >= 600
    assert panel.kpi_text("reports") == "5"
    qtbot.mouseClick(panel._checks["sns"], qtbot_button())
    assert not panel._checks["sns"].isEnabled()
    with sqlite_db.session() as s:
        tick = s.scalars(select(DrillEvent).where(DrillEvent.kind == "checklist",
                                                  DrillEvent.run_id == engine.run_id)).all()
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "drill.checklist")).all()
    assert {(e.data["id"], e.data["actor"]) for e in tick} >= {("sns", "controller")}
    assert any(a.actor == "controller" and a.mode == "drill" for a in audit)

    with qtbot.waitSignal(panel.finished, timeout=10_000):
        panel.speed_box.setCurrentText("max")  # the rest as fast as possible
    assert engine.finished and engine.status == "finished"


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_the_demo_scenario_is_preselected_with_its_checklist(qtbot, sqlite_db, analyser):
    from disaster_desk.ui.drill_panel import DrillPanel

    widget = DrillPanel(sqlite_db, lambda: analyser, open_reports=False)
    qtbot.addWidget(widget)
    assert widget.scenario_box.currentText() == "uemachi"
    assert "hq-open" in widget._checks and widget.start_button.isEnabled()
    assert not widget.pause_button.isEnabled()  # nothing running yet
