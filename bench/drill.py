"""Drill replay: the 90-minute uemachi.yaml at 60× with the main window open.

Acceptance (issue 7): 60× replays a 90-minute scenario in ≤ 100 s wall time
with the GUI open. Baseline measured in the same run: the same scenario
headless at max speed (the pipeline's own cost). Also reported: the GUI's
worst event-loop stall during the 60× run (a 50 ms probe timer's largest gap).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path


def main() -> None:
    from disaster_desk.ui.qtenv import prepare_qt_environment

    prepare_qt_environment()
    tmp = Path(tempfile.mkdtemp(prefix="bench-drill-"))
    os.environ.setdefault("DD_CONFIG_DIR", str(tmp / "config"))
    os.environ.setdefault("DD_DATA_DIR", str(tmp / "data"))
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from disaster_desk.core.db import Database
    from disaster_desk.core.settings import Settings
    from disaster_desk.ui.main_window import MainWindow
    from drills.engine import DrillEngine
    from drills.scenario import bundled_scenarios, load_scenario
    from nlp.analyser import get_analyser

    path = next(p for p in bundled_scenarios() if p.name == "uemachi.yaml")
    scenario = load_scenario(path)
    analyser = get_analyser()
    url = f"sqlite:///{tmp / 'bench.sqlite'}"
    db = Database.open(url)

    began = time.perf_counter()
    headless = DrillEngine(scenario, db, speed=None, analyser=analyser).run_to_end()
    baseline_s = time.perf_counter() - began

    app = QApplication.instance() or QApplication([])  # kept alive for the whole run
    window = MainWindow(Settings(db_url=url, actor="bench"), db, analyser_provider=lambda: analyser, watch=False)
    window.resize(1600, 1000)
    window.show()
    panel = window.drill_panel
    panel.open_reports = False
    panel.add_scenario(path)
    panel.speed_box.setCurrentText("60×")

    probe, gaps, clock = QTimer(interval=50), [], QElapsedTimer()
    clock.start()

    def tick() -> None:
        gaps.append(clock.restart())

    probe.timeout.connect(tick)
    loop = QEventLoop()
    panel.finished.connect(lambda _run: loop.quit())
    probe.start()
    began = time.perf_counter()
    panel.start()
    QTimer.singleShot(150_000, loop.quit)  # safety net
    loop.exec()
    wall_s = time.perf_counter() - began
    probe.stop()
    m = panel.engine.metrics()
    ideal_s = scenario.duration_s / 60
    print(f"scenario {scenario.name}: {scenario.duration_s / 60:.0f} min, {len(scenario.injects)} injects")
    print(f"headless max speed (baseline): {baseline_s:.2f} s, {headless['posts_collected']} posts")
    print(f"GUI at 60x: {wall_s:.1f} s wall (ideal {ideal_s:.1f} s; limit 100 s) -> ratio to ideal {wall_s / ideal_s:.3f}, "
          f"{wall_s / baseline_s:.0f}x the max-speed baseline; status {panel.engine.status}")
    print(f"GUI event loop: worst gap of a 50 ms probe timer {max(gaps)} ms, median {sorted(gaps)[len(gaps) // 2]} ms")
    print(f"pipeline latency at 60x: median {m['pipeline_latency_ms']['median']} ms, p95 {m['pipeline_latency_ms']['p95']} ms")
    window.close()
    app.processEvents()
    db.dispose()
