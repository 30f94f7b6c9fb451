"""The drill panel plays a scenario without blocking the GUI, shows live KPIs and writes the report."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from disaster_desk.core.models import AuditEntry, DrillEvent
from disaster_desk.ui.workers import SyncRunner
from tests.ui.boxes import answer_with_key, when_open

SMALL = Path(__file__).resolve().parents[1] / "drills" / "data" / "small.yaml"


@pytest.fixture
def panel(qtbot, sqlite_db, analyser, tmp_path):
    from disaster_desk.ui.drill_panel import DrillPanel

    widget = DrillPanel(sqlite_db, lambda: analyser, actor="controller", out_dir=tmp_path, open_reports=False,
                        runner=SyncRunner())
    qtbot.addWidget(widget)
    widget.add_scenario(SMALL)
    return widget


def test_bundled_scenarios_are_offered_by_their_titles(panel):
    box = panel.scenario_box
    offered = {box.itemText(i): box.itemData(i, Qt.ItemDataRole.ToolTipRole) for i in range(box.count())}
    assert offered["上町断層帯地震 初動対応訓練（発災後90分）"] == "uemachi.yaml"
    assert offered["台風 高潮・湾岸区浸水 初動対応訓練"] == "typhoon-surge.yaml"
    assert "small.yaml" in offered.values()
    assert not any(text.endswith(".yaml") or text in {"uemachi", "small"} for text in offered)


def test_a_scenario_file_that_cannot_be_read_is_listed_by_its_file_name(tmp_path):
    from drills.scenario import scenario_title

    broken = tmp_path / "broken.yaml"
    broken.write_bytes(b"name: [unclosed\n\xff")
    assert scenario_title(broken) == "broken"
    listed = tmp_path / "named.yaml"
    listed.write_text('name: "訓練\\0 A"\n', encoding="utf-8")  # YAML's escape for NUL
    assert scenario_title(listed) == "訓練 A"


def test_max_speed_run_shows_kpis_and_writes_the_report(qtbot, panel, tmp_path):
    panel.speed_box.setCurrentText("最高速")
    panel.scripted_box.setChecked(True)  # an unattended replay: the scenario's own actions run
    with qtbot.waitSignal(panel.finished, timeout=30_000) as finished:
        qtbot.mouseClick(panel.start_button, qtbot_button())
    run_id = finished.args[0]
    # Hand-worked in tests/drills/test_metrics.py (analyser-independent figures):
    assert panel.kpi_text("shared") == "0（自動 3）"  # scripted shares are never counted as the trainees'
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
    panel.scripted_box.setChecked(True)
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
    assert any(a.who == "controller" and a.mode == "drill" for a in audit)

    with qtbot.waitSignal(panel.finished, timeout=10_000):
        panel.speed_box.setCurrentText("最高速")  # the rest as fast as possible
    assert engine.finished and engine.status == "finished"


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_the_demo_scenario_is_preselected_with_its_checklist(qtbot, sqlite_db, analyser):
    from disaster_desk.ui.drill_panel import DrillPanel

    widget = DrillPanel(sqlite_db, lambda: analyser, open_reports=False, runner=SyncRunner())
    qtbot.addWidget(widget)
    assert Path(widget.scenario_box.currentData()).name == "uemachi.yaml"
    assert widget.scenario_box.currentText() == "上町断層帯地震 初動対応訓練（発災後90分）"
    assert "hq-open" in widget._checks and widget.start_button.isEnabled()
    assert not widget.pause_button.isEnabled()  # nothing running yet


def test_scripted_actions_are_off_by_default_in_the_gui(qtbot, panel):
    assert not panel.scripted_box.isChecked()
    panel.speed_box.setCurrentText("最高速")
    with qtbot.waitSignal(panel.finished, timeout=30_000):
        panel.start()
    assert panel.engine.scripted_actions is False
    assert panel.kpi_text("shared") == "0" and panel.kpi_text("checklist") == "0/3"  # nothing done by itself


def _answer(qtbot, panel, key, *, end: bool = False):
    """Answer the 終了 confirmation with the keyboard once it is open."""
    answer_with_key(qtbot, lambda: panel._stop_box, key, (lambda: panel._stop_end) if end else None)


def test_ending_a_drill_asks_first_keyboard(qtbot, panel):
    from PySide6.QtCore import Qt

    panel.speed_box.setCurrentText("1×")
    panel.start()
    panel.stop_button.setFocus()
    _answer(qtbot, panel, Qt.Key.Key_Escape)  # Esc: keep going
    qtbot.keyClick(panel.stop_button, Qt.Key.Key_Space)
    assert not panel.engine.finished and panel.stop_button.isEnabled()
    _answer(qtbot, panel, Qt.Key.Key_Return)  # Enter on the default button: 続ける
    qtbot.keyClick(panel.stop_button, Qt.Key.Key_Space)
    assert not panel.engine.finished
    with qtbot.waitSignal(panel.finished, timeout=10_000):
        _answer(qtbot, panel, Qt.Key.Key_Space, end=True)  # 終了する
        qtbot.keyClick(panel.stop_button, Qt.Key.Key_Space)
    assert panel.engine.status == "stopped" and "途中終了" in panel.status_label.text()


def test_the_report_path_is_shown_and_opened(qtbot, panel, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from disaster_desk.ui import drill_panel

    opened = []
    monkeypatch.setattr(drill_panel.QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    panel.open_reports = True
    panel.speed_box.setCurrentText("最高速")
    with qtbot.waitSignal(panel.report_written, timeout=30_000) as written:
        panel.start()
    path = written.args[0]
    assert path in panel.report_label.text() and path.endswith("report.html")
    qtbot.mouseClick(panel.report_button, qtbot_button())
    assert opened == [path]

    # no browser on this desktop: the panel says where the report is instead of failing silently
    monkeypatch.setattr(drill_panel.QDesktopServices, "openUrl", lambda url: False)
    seen = []

    def read_and_close(box):
        seen.append(box.text())
        box.accept()

    when_open(QApplication.activeModalWidget, read_and_close)
    assert panel.open_report() is False
    assert path in seen[0]


def test_panel_shows_a_drill_started_elsewhere_and_survives_max_speed(make_main_window, analyser, qtbot):
    window = make_main_window(analyser_provider=lambda: analyser)
    window.start_demo()  # the demo drives the run; the panel shows it
    panel = window.drill_panel
    engine = window.drill_engine
    assert panel.engine is engine and engine.scenario.name in panel.status_label.text()
    assert "待機中" not in panel.status_label.text() and panel.stop_button.isEnabled()
    engine.set_speed(None)  # 最高速: the window's clock must not raise (speed None)
    window._tick_clock()
    assert "最高速" in window.clock_label.text()
    panel._show_elapsed()
    assert "最高速" in panel.elapsed_label.text()
    window.cancel_demo()


def test_the_drill_role_has_its_own_layout(make_main_window, qtbot):
    from PySide6.QtCore import Qt

    window = make_main_window()
    window.resize(1600, 1000)
    window.set_role("drill")
    qtbot.wait(50)
    assert window.dockWidgetArea(window.docks["drill"]) == Qt.DockWidgetArea.LeftDockWidgetArea
    drill = window.docks["drill"]
    assert drill.width() >= 450 and drill.height() >= 600  # the main column, not a cramped corner
    assert window.docks["drill"].width() > window.docks["queue"].width() * 0.9


def test_the_engine_steps_on_the_worker_pool_never_the_gui_thread(qtbot, sqlite_db, analyser, tmp_path, monkeypatch):
    import threading

    from disaster_desk.ui.drill_panel import DrillPanel
    from disaster_desk.ui.workers import ThreadRunner
    from drills.engine import DrillEngine

    threads = []
    step_due = DrillEngine.step_due
    monkeypatch.setattr(DrillEngine, "step_due", lambda self: threads.append(threading.current_thread()) or
                        step_due(self))
    runner = ThreadRunner()
    widget = DrillPanel(sqlite_db, lambda: analyser, out_dir=tmp_path, open_reports=False, runner=runner)
    qtbot.addWidget(widget)
    widget.add_scenario(SMALL)
    widget.speed_box.setCurrentText("最高速")
    with qtbot.waitSignal(widget.finished, timeout=60_000):
        widget.start()
    assert threads and threading.main_thread() not in threads
    assert widget.kpi_text("reports") == "6" and widget.report_path.exists()
    runner.wait()
