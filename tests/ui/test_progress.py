"""Long work shows progress (issue 12 item 5, issue 16 item 12): imports, exports, a drill at max speed.

The dialog appears while the work runs, follows the core's (done, total),
closes at the end; 中止 stops an export or a registry import with nothing
written; refused import lines are listed in a dialog the operator can read.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog

from disaster_desk.core.models import Report, Shelter
from disaster_desk.core.modes import REAL_SCOPE
from disaster_desk.core.triage import TriageService
from disaster_desk.ui import progress
from disaster_desk.ui.progress import ProgressTask
from disaster_desk.ui.reports.panel import ReportsPanel
from disaster_desk.ui.workers import SyncRunner, TaskContext, ThreadRunner
from tests.core.triage_items import add_post
from tests.data_files import HINANJO

pytestmark = pytest.mark.gui

SMALL = Path(__file__).resolve().parents[1] / "drills" / "data" / "small.yaml"


class GatedRunner(ThreadRunner):
    """A ThreadRunner whose task holds at a gate, so a test orders the worker and the 中止 click.

    ``hold_at=None``: the task waits for ``gate`` before it runs at all (the test lets it run to its end,
    then clicks). ``hold_at=n``: the task's n-th cancel check (its n-th report) sets ``reached`` and waits
    for ``gate`` (the test clicks while it waits). No sleeps: each side waits on an event of the other.
    """

    def __init__(self, hold_at: int | None = None) -> None:
        super().__init__(max_threads=1)
        self.hold_at, self.gate, self.reached = hold_at, threading.Event(), threading.Event()
        self.checks = 0

    def new_context(self, on_progress):
        runner = self

        class Context(TaskContext):
            def check(self):
                runner.checks += 1
                if runner.checks == runner.hold_at:
                    runner.reached.set()
                    assert runner.gate.wait(20)
                super().check()

        return Context(on_progress)

    def submit(self, fn, **callbacks):
        def gated(ctx):
            if self.hold_at is None:
                assert self.gate.wait(20)
            return fn(ctx)

        return super().submit(gated, **callbacks)


def shelters(db):
    with db.session() as s:
        return s.query(Shelter).count()


def reports(db):
    with db.session() as s:
        return s.query(Report).count()


def assert_on_runner(qtbot, runner, read, expected):
    """``read()`` on the runner (never the GUI thread) returns ``expected``."""
    got = []
    runner.submit(lambda _ctx: read(), on_done=got.append)
    qtbot.waitUntil(lambda: got == [expected], timeout=5_000)


def _registry_import(qtbot, db, clock, runner):
    """An import of the GSI registry file into an empty registry, its progress dialog on screen."""
    with db.session() as s:  # an empty registry: what the import stores is what it counts
        s.query(Shelter).delete()
    panel = ReportsPanel(db, REAL_SCOPE, clock, runner=runner)
    qtbot.addWidget(panel)
    panel.show()
    panel.import_registry(HINANJO)
    qtbot.waitUntil(panel.progress.dialog.isVisible)
    return panel, panel.progress


def click_cancel(qtbot, dialog, text):
    from PySide6.QtWidgets import QPushButton

    [button] = dialog.findChildren(QPushButton)
    assert button.text() == text
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture(autouse=True)
def show_at_once(monkeypatch):
    monkeypatch.setattr(progress, "SHOW_AFTER_MS", 0)


@pytest.fixture
def parent(qtbot):
    from PySide6.QtWidgets import QWidget

    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_the_dialog_appears_advances_and_closes(qtbot, parent):
    step, results = threading.Semaphore(0), []

    def work(report):
        for done in range(4):
            step.acquire()
            report(done, 3)
        return "ok"

    runner = ThreadRunner()
    task = ProgressTask(parent, runner, work, title="取込", label="ファイルを取り込んでいます", on_done=results.append)
    dialog = task.dialog
    assert isinstance(dialog, QProgressDialog) and dialog.windowTitle() == "取込"
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.maximum() == 0  # busy until the first report
    for done in range(3):
        step.release()
        qtbot.waitUntil(lambda d=done: bool(task.shown) and task.shown[-1] == (d, 3))
        assert dialog.maximum() == 3 and dialog.value() == done and f"{done} / 3" in dialog.labelText()
        assert dialog.isVisible() and not results
    step.release()
    qtbot.waitUntil(lambda: results == ["ok"])
    assert task.finished and not dialog.isVisible() and dialog.was_shown
    assert runner.wait(5_000)


def test_cancel_stops_the_task_at_its_next_report(qtbot, parent):
    started, reports, outcome = threading.Event(), [], []

    def work(report):
        for done in range(10_000):
            report(done, 10_000)
            reports.append(done)
            started.set()
            threading.Event().wait(0.005)
        return "finished"

    runner = ThreadRunner()
    task = ProgressTask(parent, runner, work, title="書き出し", label="書き出しています", cancellable=True,
                        on_done=outcome.append, on_cancelled=lambda: outcome.append("stopped"))
    qtbot.waitUntil(task.dialog.isVisible)
    assert started.wait(5)
    click_cancel(qtbot, task.dialog, "中止")
    qtbot.waitUntil(lambda: outcome == ["stopped"], timeout=5_000)
    assert task.cancelled and task.finished and len(reports) < 10_000 and not task.dialog.isVisible()
    assert runner.wait(5_000)


def test_work_that_cannot_be_stopped_has_no_cancel_button(qtbot, parent):
    from PySide6.QtWidgets import QPushButton

    gate = threading.Event()
    runner = ThreadRunner()
    task = ProgressTask(parent, runner, lambda report: gate.wait(5), title="CSV取込", label="取り込んでいます")
    qtbot.waitUntil(task.dialog.isVisible)
    assert task.dialog.findChildren(QPushButton) == []
    gate.set()
    qtbot.waitUntil(lambda: task.finished)
    assert runner.wait(5_000)


def test_a_failure_closes_the_dialog_and_reaches_on_error(qtbot, parent):
    errors = []

    def work(report):
        report(1, 2)
        raise OSError(28, "No space left on device")

    task = ProgressTask(parent, SyncRunner(), work, title="書き出し", label="書き出しています", on_error=errors.append)
    assert task.finished and [type(e) for e in errors] == [OSError] and not task.dialog.isVisible()


def test_registry_import_shows_progress(qtbot, sqlite_db, clock):
    panel = ReportsPanel(sqlite_db, REAL_SCOPE, clock)  # the real worker thread
    qtbot.addWidget(panel)
    panel.show()
    panel.import_registry(HINANJO)
    task = panel.progress
    assert task.dialog.windowTitle() == "避難所台帳の取込" and "を取り込んでいます" in task.dialog.labelText()
    qtbot.waitUntil(lambda: panel.last_registry is not None, timeout=20_000)
    assert task.finished and task.dialog.was_shown and not task.dialog.isVisible()
    done = [d for d, _ in task.shown]
    assert done == sorted(done) and len(done) > 2 and task.shown[-1][0] == task.shown[-1][1] >= 872
    assert panel.last_registry.updated == 872



def test_a_cancel_that_comes_after_the_registry_import_finished_reports_the_import(qtbot, db, clock):
    """The worker has committed and posted its result; the 中止 click is handled before that result.

    What is shown is what the database holds: 完了 with the counts, not 中止 (the click came too late).
    """
    from PySide6.QtWidgets import QPushButton

    runner = GatedRunner()
    panel, task = _registry_import(qtbot, db, clock, runner)
    runner.gate.set()
    assert runner.wait(30_000)  # the import has committed; its result waits in the GUI thread's queue
    assert not task.finished and panel.last_registry is None
    [button] = task.dialog.findChildren(QPushButton)
    button.click()  # handled now, before the queued result
    qtbot.waitUntil(lambda: task.finished, timeout=10_000)
    assert not task.cancelled and task.cancel_requested and panel.last_registry is not None and panel.last_registry.inserted == 872
    assert "中止" not in panel.summary.text() and "872" in panel.summary.text()
    assert not task.dialog.isVisible()
    assert_on_runner(qtbot, panel.runner, lambda: shelters(db), 872)


def test_a_cancel_before_the_registry_import_commits_stores_nothing_and_says_so(qtbot, db, clock):
    from PySide6.QtWidgets import QPushButton

    runner = GatedRunner(hold_at=1)
    panel, task = _registry_import(qtbot, db, clock, runner)
    assert runner.reached.wait(20)  # the worker is at its first report, before the one transaction
    [button] = task.dialog.findChildren(QPushButton)
    button.click()
    assert task.dialog.isVisible() and "中止しています" in task.dialog.labelText()  # still modal until it ends
    assert task.cancel_requested and not task.cancelled  # asked; not yet stopped
    assert task.dialog.findChildren(QPushButton) == []
    runner.gate.set()
    qtbot.waitUntil(lambda: task.finished, timeout=20_000)
    assert task.cancelled and panel.last_registry is None and not task.dialog.isVisible()
    assert "中止しました。台帳は変わっていません" in panel.summary.text()
    assert_on_runner(qtbot, panel.runner, lambda: shelters(db), 0)


def test_csv_import_shows_progress_and_lists_each_refused_line(qtbot, sqlite_db, clock, tmp_path):
    panel = ReportsPanel(sqlite_db, REAL_SCOPE, clock, runner=SyncRunner())
    qtbot.addWidget(panel)
    panel.show()
    lines = ["区,所属,参集人数,参集予定人数"] + [f"北区,北区役所{i},{i},400" for i in range(300)]
    lines[50] = "淀川区,淀川区役所,x,60"
    lines[120] = "東京都,新宿,1,2"
    (tmp_path / "muster.csv").write_bytes(("\n".join(lines) + "\n").encode("cp932"))
    results = []
    panel.import_csv("muster", tmp_path / "muster.csv", on_done=results.append)
    task = panel.progress
    assert task.finished and not task.dialog.isVisible() and task.dialog.windowTitle() == "CSV取込"
    assert task.shown[0] == (0, 300) and task.shown[-1] == (300, 300)
    [result] = results
    assert len(result.created) == 298
    box = panel.import_dialog
    assert box is not None and box.isVisible() and box.windowTitle() == "CSV取込"
    assert "muster.csv: 取込 298件、重複 0件、エラー 2件" in box.text()
    assert "51行目（参集人数）: 参集人数は整数で入力してください（「x」は数として読めません）" in box.text()
    assert "121行目" in box.text() and "大阪市の区ではありません" in box.text()
    assert box.detailedText().count("行目") == 2
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not box.isVisible())


def test_csv_import_stops_between_lines_on_cancel_and_says_what_was_stored(qtbot, db, clock, tmp_path):
    """Each line is its own transaction (issue 13): 中止 stops between lines, the stored lines stay stored."""
    from PySide6.QtWidgets import QPushButton

    runner = GatedRunner(hold_at=11)  # 300 lines report every 3: the 11th report comes after 30 stored lines
    panel = ReportsPanel(db, REAL_SCOPE, clock, runner=runner)
    qtbot.addWidget(panel)
    panel.show()
    lines = ["区,所属,参集人数,参集予定人数"] + [f"北区,北区役所{i},{i},400" for i in range(300)]
    (tmp_path / "muster.csv").write_bytes(("\n".join(lines) + "\n").encode("cp932"))
    results = []
    panel.import_csv("muster", tmp_path / "muster.csv", on_done=results.append)
    task = panel.progress
    assert task.dialog.windowTitle() == "CSV取込"
    assert runner.reached.wait(20)
    qtbot.waitUntil(task.dialog.isVisible)
    [button] = task.dialog.findChildren(QPushButton)
    assert button.text() == "中止"
    button.click()
    runner.gate.set()
    qtbot.waitUntil(lambda: task.finished, timeout=20_000)
    [result] = results
    assert task.cancelled and result.stopped and len(result.created) == 30 and result.not_read_from == 32
    box = panel.import_dialog
    assert box is not None and box.isVisible()
    assert "muster.csv: 中止しました。30件を保存しました。32行目から後は読んでいません" in box.text()
    assert "取込 30件、重複 0件、エラー 0件" in box.text()
    assert_on_runner(qtbot, panel.runner, lambda: reports(db), 30)

    again = []  # the same file again: the 30 are duplicates, the rest is stored
    panel.import_csv("muster", tmp_path / "muster.csv", on_done=again.append)
    qtbot.waitUntil(lambda: bool(again), timeout=30_000)
    assert len(again[0].created) == 270 and len(again[0].duplicates) == 30 and not again[0].stopped


def test_a_csv_file_that_cannot_be_read_is_said_in_a_dialog(qtbot, sqlite_db, clock, tmp_path):
    panel = ReportsPanel(sqlite_db, REAL_SCOPE, clock, runner=SyncRunner())
    qtbot.addWidget(panel)
    panel.show()
    panel.import_csv("muster", tmp_path / "ない.csv")
    assert panel.import_dialog is not None and "ファイルが見つかりません" in panel.import_dialog.text()


def _shared(db, clock, n):
    triage = TriageService(db, clock, REAL_SCOPE)
    for i in range(n):
        post = add_post(db, clock, f"北区で火災 {i}", ["fire"], ward="北区", lat=34.7, lon=135.5,
                        precision="town", external_id=f"p{i}")
        triage.acknowledge("post", post, actor="op")
        triage.share("post", post, ["消防局"], actor="op")


@pytest.mark.parametrize("kind", ["cap", "geojson", "csv", "sip4d"])
def test_exports_from_the_file_menu_show_progress(qtbot, main_window, sqlite_db, clock, tmp_path, kind):
    from disaster_desk.ui import export_actions

    _shared(sqlite_db, clock, 3)
    assert set(main_window.export_actions) == {"cap", "geojson", "csv", "sip4d"}
    out = tmp_path / ("out" if kind in ("cap", "sip4d") else f"out.{kind}")
    task = export_actions.export(main_window, kind, out)
    assert task.finished and not task.dialog.isVisible() and task.dialog.windowTitle() == "書き出し"
    assert main_window.last_export and "書き出しました" in main_window.last_export
    assert main_window.statusBar().currentMessage() == main_window.last_export
    if kind == "cap":
        assert len(list(out.glob("*.xml"))) == 3 and task.shown[-1] == (3, 3)
    elif kind == "geojson":
        assert len(json.loads(out.read_text(encoding="utf-8"))["features"]) == 3 and task.shown[-1] == (3, 3)
    elif kind == "csv":
        assert out.read_text(encoding="utf-8-sig").count("\n") == 4
    else:
        assert len(list(out.glob("*.zip"))) == 1


def test_an_export_that_cannot_be_written_says_why_in_a_dialog(qtbot, main_window, tmp_path):
    from disaster_desk.ui import export_actions

    blocker = tmp_path / "file"
    blocker.write_text("x")
    export_actions.export(main_window, "geojson", blocker / "sub" / "out.geojson")
    box = main_window.export_dialog
    assert box.isVisible() and "に書き出せませんでした" in box.text() and "理由: " in box.text()
    assert main_window.last_export is None


def test_a_drill_at_max_speed_shows_its_progress_until_it_ends(qtbot, sqlite_db, analyser, tmp_path):
    from disaster_desk.ui.drill_panel import DrillPanel

    panel = DrillPanel(sqlite_db, lambda: analyser, actor="controller", out_dir=tmp_path, open_reports=False,
                       runner=SyncRunner())
    qtbot.addWidget(panel)
    panel.show()
    panel.add_scenario(SMALL)
    panel.speed_box.setCurrentText("最高速")
    seen = []
    with qtbot.waitSignal(panel.finished, timeout=60_000):
        panel.start()
        run_progress = panel.run_progress
        assert run_progress is not None and run_progress.dialog.windowTitle() == "訓練（最高速）"
        qtbot.waitUntil(lambda: run_progress.dialog.isVisible() or panel.engine.finished, timeout=10_000)
        seen.append(run_progress.dialog.isVisible())
    total = len(panel.engine.scenario.injects)
    done = [d for d, _ in run_progress.shown]
    assert done == sorted(done) and len(set(done)) > 2 and all(t == total for _, t in run_progress.shown)
    assert run_progress.dialog.was_shown and run_progress.closed and panel.run_progress is None


def test_ending_a_max_speed_drill_from_its_progress_dialog_asks_first(qtbot, sqlite_db, analyser, tmp_path,
                                                                    monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from disaster_desk.ui.drill_panel import DrillPanel

    panel = DrillPanel(sqlite_db, lambda: analyser, actor="controller", out_dir=tmp_path, open_reports=False,
                       runner=SyncRunner())
    qtbot.addWidget(panel)
    panel.show()
    panel.add_scenario(SMALL)
    panel.speed_box.setCurrentText("最高速")
    answers = ["keep", "end"]

    def answer(box):
        choice = answers.pop(0)
        button = next(b for b in box.buttons() if (b.text() == "終了する") == (choice == "end"))
        box.clickedButton = lambda: button
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    panel.step_timer.stop()  # hold the run: the test steps it
    panel.start()
    panel.step_timer.stop()
    panel._step()
    run_progress = panel.run_progress
    qtbot.waitUntil(run_progress.dialog.isVisible)
    click_cancel(qtbot, run_progress.dialog, "終了…")  # → 続ける: the run goes on, the dialog comes back
    assert not panel.engine.finished and run_progress.dialog.isVisible() and not run_progress.closed
    with qtbot.waitSignal(panel.finished, timeout=30_000):
        click_cancel(qtbot, run_progress.dialog, "終了…")  # → 終了する
    assert panel.engine.status == "stopped" and run_progress.closed and panel.run_progress is None
