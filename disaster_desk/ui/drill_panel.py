"""The drill controller's panel: choose a scenario, play it, watch the KPIs, tick the checklist.

The engine is driven by a ``QTimer`` calling :meth:`DrillEngine.step_due`:
each call plays only the injects due at that moment (at max speed: one moment
of the scenario), so the GUI thread is never blocked for long and no worker
thread touches a widget. KPIs are :meth:`DrillEngine.metrics`, read from the
database, refreshed once a second and after each played step.

A GUI drill is for trainees: the scenario's scripted ``action`` injects are
off unless 「シナリオの操作を自動実行」 is ticked (KPIs count people's and
scripted actions apart). A drill started elsewhere in the window (the demo)
is shown with :meth:`DrillPanel.attach`, so the panel never says 待機中
while the red band shows a drill. 終了 asks before ending the run; the
report's path is shown and opened with the desktop's browser.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from disaster_desk.core.db import Database
from disaster_desk.errors import UserError
from disaster_desk.ui.error_text import status_reason
from disaster_desk.ui.progress import StepProgress
from disaster_desk.ui.workers import LatestRead, default_runner

log = logging.getLogger(__name__)

#: Label → engine speed (None = as fast as possible).
SPEEDS: dict[str, float | None] = {"1×": 1.0, "10×": 10.0, "60×": 60.0, "最高速": None}


def speed_text(speed: float | None) -> str:
    """How a speed is shown: ×60, or 最高速 for max (speed None)."""
    return "最高速" if speed is None else f"×{speed:g}"
STEP_MS = 50
KPI_MS = 1000


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    s = int(seconds)
    return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"


class DrillPanel(QWidget):
    """Start/pause/resume/jump a drill; live KPIs; checklist buttons; the after-action report."""

    run_started = Signal(object)  # the DrillEngine (its scope and clock drive the main window)
    finished = Signal(str)  # run id
    report_written = Signal(str)  # path of report.html

    def __init__(
        self,
        db: Database,
        analyser_provider: Callable[[], Any],
        parent: QWidget | None = None,
        *,
        actor: str | None = None,
        out_dir: str | Path | None = None,
        open_reports: bool = True,
        runner: Any = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        #: Every engine call (start, step, pause, jump, checklist, metrics, report) runs here, never on
        #: the GUI thread: a step is ingest + NLP + grouping. The engine is thread-safe (its own lock).
        self.runner = default_runner(runner)
        self._metrics = LatestRead(self.runner)
        self._stepping = False
        self._starting = False
        self.analyser_provider = analyser_provider
        self.actor = actor or os.environ.get("USER", "operator")
        self.out_dir = Path(out_dir) if out_dir else None
        self.open_reports = open_reports
        self.engine: Any = None
        self.scenario: Any = None
        self.report_path: Path | None = None
        #: The panel drives the engine's steps (False for a drill driven elsewhere, e.g. the demo).
        self._driving = True
        self._kpi_values: dict[str, QLabel] = {}
        self._checks: dict[str, QPushButton] = {}
        #: The progress dialog of a run this panel drives at max speed (issue 16.12).
        self.run_progress: StepProgress | None = None
        self._build()
        self.step_timer = QTimer(self, interval=STEP_MS)
        self.step_timer.timeout.connect(self._step)
        self.kpi_timer = QTimer(self, interval=KPI_MS)
        self.kpi_timer.timeout.connect(self.refresh)
        self._load_bundled()

    # -- layout -----------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.scenario_box = QComboBox(self)
        self.scenario_box.currentIndexChanged.connect(self._scenario_chosen)
        self.open_button = QPushButton(self.tr("ファイル…"), self)
        self.open_button.clicked.connect(self._open_file)
        row.addWidget(QLabel(self.tr("シナリオ"), self))
        row.addWidget(self.scenario_box, 1)
        row.addWidget(self.open_button)
        layout.addLayout(row)

        controls = QHBoxLayout()
        self.speed_box = QComboBox(self)
        self.speed_box.addItems(list(SPEEDS))
        self.speed_box.setCurrentText("60×")
        self.speed_box.currentTextChanged.connect(self._speed_chosen)
        self.start_button = QPushButton(self.tr("開始"), self)
        self.start_button.clicked.connect(self.start)
        self.pause_button = QPushButton(self.tr("一時停止"), self)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button = QPushButton(self.tr("終了"), self)
        self.stop_button.clicked.connect(self.stop)
        self.jump_box = QSpinBox(self, minimum=0, maximum=24 * 60, suffix=self.tr(" 分"))
        self.jump_button = QPushButton(self.tr("ジャンプ"), self)
        self.jump_button.clicked.connect(lambda: self.jump(self.jump_box.value() * 60))
        for widget in (QLabel(self.tr("速度"), self), self.speed_box, self.start_button, self.pause_button,
                       self.stop_button, self.jump_box, self.jump_button):
            controls.addWidget(widget)
        controls.addStretch(1)
        layout.addLayout(controls)
        self.scripted_box = QCheckBox(self.tr("シナリオの操作（共有・確認・チェック）を自動実行する（無人再生用）"), self)
        self.scripted_box.setToolTip(self.tr("訓練では既定で切。訓練参加者が自分で共有・確認します。"))
        layout.addWidget(self.scripted_box)

        self.elapsed_label = QLabel(self.tr("経過 00:00:00"), self)
        self.elapsed_label.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.status_label = QLabel(self.tr("待機中"), self)
        status_row = QHBoxLayout()
        status_row.addWidget(self.elapsed_label)
        status_row.addStretch(1)
        status_row.addWidget(self.status_label)
        layout.addLayout(status_row)

        kpis = QGroupBox(self.tr("KPI（実行中）"), self)
        grid = QGridLayout(kpis)
        names = [("collected", self.tr("収集")), ("relevant", self.tr("関連")), ("shared", self.tr("共有（参加者）")),
                 ("tts", self.tr("共有時間 中央値")), ("reports", self.tr("区報告")), ("wards", self.tr("報告区")),
                 ("muster", self.tr("参集率")), ("checklist", self.tr("チェック"))]
        for n, (key, title) in enumerate(names):
            value = QLabel("—", kpis)
            value.setObjectName(f"kpi_{key}")
            value.setStyleSheet("font-weight: bold;")
            grid.addWidget(QLabel(title, kpis), n // 4 * 2, n % 4)
            grid.addWidget(value, n // 4 * 2 + 1, n % 4)
            self._kpi_values[key] = value
        layout.addWidget(kpis)

        self.checklist_box = QGroupBox(self.tr("チェックリスト"), self)
        self.checklist_layout = QFormLayout(self.checklist_box)
        layout.addWidget(self.checklist_box)

        self.report_button = QPushButton(self.tr("事後検証報告を開く"), self)
        self.report_button.setEnabled(False)
        self.report_button.clicked.connect(self.open_report)
        self.report_label = QLabel(self)
        self.report_label.setTextFormat(Qt.TextFormat.PlainText)
        self.report_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.report_label.setWordWrap(True)
        layout.addWidget(self.report_button)
        layout.addWidget(self.report_label)
        layout.addStretch(1)
        self._update_buttons()

    def _load_bundled(self) -> None:
        from drills.scenario import bundled_scenarios

        paths = bundled_scenarios()
        for path in paths:
            self._add_item(path)
        demo = next((i for i, path in enumerate(paths) if path.stem == "uemachi"), -1)
        if demo > 0:  # the demo scenario first
            self.scenario_box.setCurrentIndex(demo)

    # -- scenario choice --------------------------------------------------
    def _open_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("シナリオを開く"), "", "YAML (*.yaml *.yml)")
        if path:
            self.add_scenario(path)

    def add_scenario(self, path: str | Path) -> None:
        """Add a scenario file to the list and select it."""
        self._add_item(Path(path))
        self.scenario_box.setCurrentIndex(self.scenario_box.count() - 1)

    def _add_item(self, path: Path) -> None:
        """One scenario in the list: its title (the operator's words), the file name as tooltip."""
        from drills.scenario import scenario_title

        self.scenario_box.addItem(scenario_title(path), str(path))
        self.scenario_box.setItemData(self.scenario_box.count() - 1, path.name, Qt.ItemDataRole.ToolTipRole)

    def _scenario_chosen(self, _index: int) -> None:
        from drills.scenario import load_scenario

        path = self.scenario_box.currentData()
        if not path or (self.engine is not None and not self.engine.finished):
            return
        try:
            self.scenario = load_scenario(path)
        except UserError as exc:
            self.scenario = None
            self.status_label.setText(str(exc))
            log.warning("%s", exc)
        self._build_checklist()
        self._update_buttons()

    def _build_checklist(self) -> None:
        while self.checklist_layout.rowCount():
            self.checklist_layout.removeRow(0)
        self._checks.clear()
        for item in self.scenario.checklist if self.scenario else ():
            button = QPushButton(self.tr("完了にする"), self.checklist_box)
            button.setObjectName(f"check_{item.id}")
            button.clicked.connect(lambda _=False, item_id=item.id: self.tick(item_id))
            self.checklist_layout.addRow(item.title, button)
            self._checks[item.id] = button

    # -- control ----------------------------------------------------------
    @property
    def speed(self) -> float | None:
        return SPEEDS[self.speed_box.currentText()]

    def start(self) -> None:
        from drills.engine import DrillEngine

        if self._starting or self.scenario is None or (self.engine is not None and not self.engine.finished):
            return
        self.status_label.setText(self.tr("解析器を準備中…"))
        self._starting = True
        self.start_button.setEnabled(False)
        scenario, db, speed, provider = self.scenario, self.db, self.speed, self.analyser_provider
        actor, scripted = f"drill:{self.actor}", self.scripted_box.isChecked()

        def prepare(_ctx: Any) -> Any:
            engine = DrillEngine(scenario, db, speed=speed, analyser=provider(), actor=actor,
                                 scripted_actions=scripted)
            engine.start()
            return engine

        self.runner.submit(prepare, on_done=self._started, on_error=self._start_failed)

    def _started(self, engine: Any) -> None:
        self._starting = False
        self._show(engine, driving=True)
        self.run_started.emit(engine)
        self.refresh()

    def _start_failed(self, exc: BaseException) -> None:
        self._starting = False
        log.error("drill start failed: %s", exc)
        self.status_label.setText(self.tr("訓練を開始できません: %1").replace("%1", status_reason(exc)))
        self._update_buttons()

    def _engine_call(self, call: Callable[[Any], Any], then: Callable[[], None]) -> None:
        """``call(engine)`` on the runner, then ``then()`` in the GUI thread."""
        engine = self.engine
        self.runner.submit(lambda _ctx: call(engine), on_done=lambda _r: then(),
                           on_error=lambda exc: (log.error("drill: %s", exc), then()))

    def attach(self, engine: Any) -> None:
        """Show a drill run driven elsewhere (the demo): its clock, KPIs, checklist; pause and 終了 act on it."""
        if engine is self.engine:
            return
        self.scenario = engine.scenario
        index = self.scenario_box.findData(str(engine.scenario.path)) if engine.scenario.path else -1
        if index >= 0:
            self.scenario_box.blockSignals(True)
            self.scenario_box.setCurrentIndex(index)
            self.scenario_box.blockSignals(False)
        label = next((text for text, speed in SPEEDS.items() if speed == engine.speed), None)
        if label is not None:
            self.speed_box.blockSignals(True)
            self.speed_box.setCurrentText(label)
            self.speed_box.blockSignals(False)
        self._show(engine, driving=False)
        self.refresh()

    def _show(self, engine: Any, *, driving: bool) -> None:
        self.engine = engine
        self._driving = driving
        self.report_path = None
        self.report_label.clear()
        self._build_checklist()
        if driving:
            self.step_timer.start()
        self.kpi_timer.start()
        self.status_label.setText(self.tr("実行中: %1").replace("%1", engine.scenario.name))

    def toggle_pause(self) -> None:
        if self.engine is None or self.engine.finished:
            return
        paused = self.engine.clock.paused
        self._engine_call(lambda e: e.resume() if paused else e.pause(), self._update_buttons)

    def jump(self, t_s: float) -> None:
        if self.engine is not None and not self.engine.finished:
            self._engine_call(lambda e: e.jump(t_s), self._after_step)

    def stop(self) -> None:
        """終了: asks first (a drill ended by mistake cannot be resumed)."""
        if self.engine is None or self.engine.finished:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("訓練の終了"),
                          self.tr("訓練「%1」を終了しますか？\n残りの想定（inject）は再生されません。この操作は取り消せません。")
                          .replace("%1", self.engine.scenario.name), parent=self)
        end = box.addButton(self.tr("終了する"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("続ける"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        self._stop_box, self._stop_end = box, end  # tests answer the dialog with the keyboard
        box.exec()
        self._stop_box = self._stop_end = None
        if box.clickedButton() is end and self.engine is not None and not self.engine.finished:
            self.end_now()

    def end_now(self) -> None:
        """End the run without asking (after the confirmation)."""
        if self.engine is not None and not self.engine.finished:
            self._engine_call(lambda e: e.stop(), self._after_step)

    def _speed_chosen(self, _text: str) -> None:
        if self.engine is not None and not self.engine.finished:
            speed = self.speed
            self._engine_call(lambda e: e.set_speed(speed), self._show_elapsed)

    def tick(self, item_id: str) -> None:
        if self.engine is None or self.engine.finished:
            return
        engine, actor = self.engine, self.actor

        def refused(exc: BaseException) -> None:
            if isinstance(exc, UserError):
                QMessageBox.warning(self, self.tr("チェックリスト"), str(exc))
            else:
                log.error("drill checklist: %s", exc)
            self.refresh()

        self.runner.submit(lambda _ctx: engine.tick_checklist(item_id, actor), on_done=lambda _t: self.refresh(),
                           on_error=refused)

    def _step(self) -> None:
        """Play the due injects on the runner (as ui/demo.py does); one step at a time."""
        if self._stepping or self.engine is None:
            return
        self._stepping = True
        engine = self.engine

        def step(_ctx: Any) -> int:
            try:
                return engine.step_due()
            except Exception as exc:  # keep the drill's record; the log panel shows the details
                log.exception("drill step failed")
                engine.fail(exc)
                return 0

        self.runner.submit(step, on_done=lambda played: self._stepped(engine, played),
                           on_error=lambda _exc: self._stepped(engine, 0))

    def _stepped(self, engine: Any, played: int) -> None:
        self._stepping = False
        if engine is not self.engine:
            return
        self._sync_progress()
        if played or engine.finished:
            self._after_step()
        else:
            self._show_elapsed()

    def _after_step(self) -> None:
        self.refresh()

    def _sync_progress(self) -> None:
        """At max speed a run this panel drives shows a progress dialog: injects played of all; else none."""
        engine = self.engine
        if engine is None or engine.finished or not self._driving or engine.speed is not None:
            if self.run_progress is not None:
                self.run_progress.close()
                self.run_progress = None
            return
        if self.run_progress is None:
            self.run_progress = StepProgress(
                self, title=self.tr("訓練（最高速）"),
                label=self.tr("訓練「%1」を最高速で再生しています").replace("%1", engine.scenario.name),
                cancel_text=self.tr("終了…"), on_cancel=self.stop)
        total = len(engine.scenario.injects)
        self.run_progress.update(total - engine.remaining, total)

    def _check_finished(self) -> None:
        self._sync_progress()
        if self.engine is not None and self.engine.finished and self.kpi_timer.isActive():
            self.step_timer.stop()
            self.kpi_timer.stop()
            self._finished()

    def _finished(self) -> None:
        """Write metrics.json and the after-action report on the runner, then say where they are."""
        from drills.report import write_report

        engine, db, scenario = self.engine, self.db, self.scenario
        out = self.out_dir / engine.run_id if self.out_dir else self._default_out()

        def write(_ctx: Any) -> Path:
            out.mkdir(parents=True, exist_ok=True)
            (out / "metrics.json").write_text(json.dumps(engine.metrics(), ensure_ascii=False, indent=2), "utf-8")
            return write_report(db, engine.run_id, out, scenario)

        def failed(exc: BaseException) -> None:
            log.error("drill report of %s: %s", engine.run_id, exc)
            self.status_label.setText(self.tr("事後検証報告を書けません: %1").replace("%1", status_reason(exc)))

        self.runner.submit(write, on_done=lambda path: self._report_done(engine, path), on_error=failed)

    def _report_done(self, engine: Any, path: Path) -> None:
        if engine is not self.engine:
            return
        self.report_path = path
        status = {"finished": self.tr("終了"), "stopped": self.tr("途中終了"), "failed": self.tr("異常終了")}.get(
            self.engine.status, self.engine.status)
        self.status_label.setText(f"{status}: {self.engine.scenario.name}"
                                  + (f" — {self.engine.error}" if self.engine.error else ""))
        self.report_label.setText(self.tr("事後検証報告: %1").replace("%1", str(self.report_path)))
        self._update_buttons()
        self.report_written.emit(str(self.report_path))
        self.finished.emit(self.engine.run_id)

    def _default_out(self) -> Path:
        from disaster_desk.core.settings import data_dir

        return data_dir() / "drills" / self.engine.run_id

    def open_report(self) -> bool:
        """Open report.html in the desktop's browser; says where it is when that is not possible."""
        if self.report_path is None:
            return False
        if not self.report_path.exists():
            QMessageBox.warning(self, self.tr("事後検証報告"),
                                self.tr("報告ファイルが見つかりません:\n%1").replace("%1", str(self.report_path)))
            return False
        if self.open_reports and QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.report_path))):
            return True
        QMessageBox.information(self, self.tr("事後検証報告"),
                                self.tr("ブラウザで開けませんでした。報告は次の場所にあります:\n%1")
                                .replace("%1", str(self.report_path)))
        return False

    # -- display ------------------------------------------------------------
    def _show_elapsed(self) -> None:
        if self.engine is None:
            return
        speed = speed_text(self.engine.speed)
        paused = self.tr("（一時停止）") if self.engine.paused else ""
        self.elapsed_label.setText(self.tr("経過 ") + f"{_fmt(self.engine.clock.elapsed())} {speed}{paused}")
        self._sync_progress()

    def refresh(self) -> None:
        """Re-read the live KPIs of the running drill (computed on the runner; shown when they arrive)."""
        if self.engine is None:
            return
        self._show_elapsed()
        engine = self.engine
        self._metrics.submit(engine.metrics, lambda m: engine is self.engine and self._show_metrics(m))

    def _show_metrics(self, m: dict[str, Any]) -> None:
        muster = m["muster"][-1] if m["muster"] else None
        done = {c["id"]: c["done_at_s"] for c in m["checklist"]}
        values = {
            "collected": str(m["posts_collected"]),
            "relevant": str(m["posts_relevant"]),
            "shared": _shared_text(m),
            "tts": _fmt(m["time_to_share_s"]["median"]),
            "reports": str(sum(m["reports_received"].values())),
            "wards": str(len(m["time_to_first_report_s"])),
            "muster": f"{muster['arrived'] / muster['expected'] * 100:.0f}%" if muster and muster["expected"] else "—",
            "checklist": f"{sum(v is not None for v in done.values())}/{len(done)}",
        }
        for key, text in values.items():
            self._kpi_values[key].setText(text)
        for item_id, button in self._checks.items():
            if done.get(item_id) is not None:
                button.setEnabled(False)
                button.setText(self.tr("完了 ") + _fmt(done[item_id]))
        self._update_buttons()
        self._check_finished()

    def kpi_text(self, key: str) -> str:
        """The text of one KPI value (tests and screenshots read it)."""
        return self._kpi_values[key].text()

    def _update_buttons(self) -> None:
        running = self.engine is not None and not self.engine.finished
        self.start_button.setEnabled(self.scenario is not None and not running and not self._starting)
        self.scripted_box.setEnabled(not running)
        self.scenario_box.setEnabled(not running)
        self.open_button.setEnabled(not running)
        for widget in (self.pause_button, self.stop_button, self.jump_button, self.jump_box):
            widget.setEnabled(running)
        self.pause_button.setText(self.tr("再開") if running and self.engine.clock.paused else self.tr("一時停止"))
        self.report_button.setEnabled(self.report_path is not None)


def _shared_text(m: dict[str, Any]) -> str:
    """People's shares, and the scenario's scripted ones apart (never one number that mixes them)."""
    by = m.get("items_shared_by") or {"human": m["items_shared"], "scripted": 0}
    return f"{by['human']}" + (f"（自動 {by['scripted']}）" if by["scripted"] else "")
