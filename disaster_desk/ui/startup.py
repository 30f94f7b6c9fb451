"""The start-up window: what the desk is doing while it starts, in words, with a progress bar.

``run_app`` shows it before anything slow: opening the database (each schema migration
applied, n/N, from :func:`disaster_desk.core.db.reporting_migrations`),
starting the collectors, building the main window, then loading the analyser on a pool
thread (:class:`AnalyserWarmup`: the Sudachi/GiNZA dictionary, the learned model — fitted
only on a first start after the corpus changed — and the gazetteer, as :mod:`nlp.progress`
reports them). The main window appears as soon as it is built and is usable meanwhile; this
window stays above it with the words of the current step, the steps done and a bar that only
moves forward, and closes when the analyser is ready. A failure stays shown, with a button
to close it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

log = logging.getLogger(__name__)

#: The start's phases in order, with where the bar stands when each begins (0-1). The analyser's
#: three steps share the rest (:data:`ANALYSER_FROM` to 1).
PHASES: tuple[tuple[str, float], ...] = (("database", 0.0), ("collectors", 0.15), ("window", 0.25),
                                        ("analyser", 0.35))
ANALYSER_FROM = 0.35


def phase_text(key: str) -> str:
    """The words of a phase (translated; Japanese first)."""
    return {
        "database": QCoreApplication.translate("Startup", "データベースを開いています（必要ならスキーマを更新します）"),
        "collectors": QCoreApplication.translate("Startup", "収集を開始しています"),
        "window": QCoreApplication.translate("Startup", "画面を作成しています"),
        "analyser": QCoreApplication.translate("Startup", "解析器を準備しています"),
        "ready": QCoreApplication.translate("Startup", "準備ができました"),
    }[key]


def analyser_step_text(step: Any) -> str:
    """The words of one analyser step: translated for the three usual ones, as reported while fitting."""
    usual = {
        "dictionary": QCoreApplication.translate("Startup", "形態素解析の辞書（Sudachi／GiNZA）を読み込んでいます"),
        "model": QCoreApplication.translate("Startup", "学習モデルを読み込んでいます"),
        "gazetteer": QCoreApplication.translate("Startup", "地名辞書（区・町丁目・駅・避難所）を読み込んでいます"),
    }
    words = step.text if step.slow else usual.get(step.key, step.text)
    return f"{phase_text('analyser')}: {words} ({step.number}/3)"


class StartupWindow(QWidget):
    """A small window above the desk while it starts: title, current step, steps done, a bar."""

    step_shown = Signal(str)  # the words of a step, once they are on the window
    #: (done, total, what) of each schema migration, emitted from the thread that opens the database
    migrated = Signal(int, int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle(self.tr("災害情報デスク — 起動中"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("災害情報デスクを起動しています"), self)
        title.setStyleSheet("font-weight: bold; font-size: 120%")
        self.step_label = QLabel(self)
        self.step_label.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(True)
        self.done_label = QLabel(self)
        self.done_label.setWordWrap(True)
        self.done_label.setStyleSheet("color: #555")
        self.close_button = QPushButton(self.tr("閉じる"), self)
        self.close_button.hide()
        self.close_button.clicked.connect(self.close)
        for widget in (title, self.step_label, self.bar, self.done_label, self.close_button):
            layout.addWidget(widget)
        self.migrated.connect(self.migration_step)
        #: Every text shown, in order (the start's record; logged too).
        self.steps: list[str] = []
        self.finished = False

    def show_step(self, text: str, fraction: float, *, pump: bool = False) -> None:
        """Show ``text`` as the current step; the bar moves to ``fraction`` (never back).

        ``pump``: process pending events (before the event loop runs, while the GUI thread works
        through the start's phases); otherwise the window repaints itself only.
        """
        if self.steps and self.steps[-1] != text and self.step_label.text():
            done = [line for line in self.done_label.text().split("\n") if line]
            self.done_label.setText("\n".join([*done[-3:], "✓ " + self.steps[-1]]))
        if not self.steps or self.steps[-1] != text:
            self.steps.append(text)
            log.info("start-up: %s", text)
        self.step_label.setText(text)
        self.bar.setValue(max(self.bar.value(), round(100 * min(max(fraction, 0.0), 1.0))))
        if pump:
            QCoreApplication.processEvents()  # the GUI thread goes on to the next phase: paint now
        elif self.isVisible():
            self.repaint()
        self.step_shown.emit(text)

    def begin(self, phase: str) -> None:
        """One of :data:`PHASES` starts."""
        self.show_step(phase_text(phase), dict(PHASES)[phase], pump=True)

    def migration_step(self, done: int, total: int, what: str) -> None:
        """A schema migration applied while the database opens (a new database: all of them)."""
        text = self.tr("データベースのスキーマを更新しています %1/%2").replace("%1", str(done)).replace("%2", str(total))
        if what:
            text += f"（{what}）"
        start, end = dict(PHASES)["database"], dict(PHASES)["collectors"]
        self.show_step(text, start + (end - start) * done / max(1, total))

    def analyser_step(self, step: Any) -> None:
        """An :class:`nlp.progress.Step` of the analyser's load."""
        self.show_step(analyser_step_text(step), ANALYSER_FROM + (1 - ANALYSER_FROM) * step.fraction)

    def ready(self, *_args: Any) -> None:
        self.show_step(phase_text("ready"), 1.0)
        self.finished = True
        self.close()

    def failed(self, message: str) -> None:
        """The analyser could not be loaded: say so and stay until closed (the desk works without it)."""
        self.show_step(self.tr("解析器を読み込めませんでした: %1").replace("%1", message), self.bar.value() / 100)
        self.finished = True
        self.close_button.show()


class AnalyserWarmup(QObject):
    """Loads the analyser on ``runner`` and reports its steps in the GUI thread.

    ``load(report)`` builds the analyser, calling ``report(step)`` from the pool thread;
    :attr:`stepped` carries each step to the GUI thread (a queued signal).
    """

    stepped = Signal(object)  # nlp.progress.Step
    ready = Signal(object)  # the analyser
    failed = Signal(str)

    def __init__(self, runner: Any, load: Callable[[Callable[[Any], None]], Any],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner, self.load = runner, load
        self.done = False
        self.last_step: Any = None
        self.stepped.connect(self._remember)

    def _remember(self, step: Any) -> None:
        self.last_step = step

    def start(self) -> None:
        self.handle = self.runner.submit(lambda _ctx: self.load(self.stepped.emit), on_done=self._done,
                                         on_error=self._failed)

    def _done(self, analyser: Any) -> None:
        self.done = True
        self.ready.emit(analyser)

    def _failed(self, exc: BaseException) -> None:
        self.done = True
        self.failed.emit(f"{type(exc).__name__}: {exc}")


def warm_up_analyser(window: Any, splash: StartupWindow | None, gazetteer_dir: Any) -> AnalyserWarmup:
    """Start loading the analyser for ``window`` (the one its panels and the demo will get)."""
    from nlp.analyser import get_analyser

    warmup = AnalyserWarmup(window.runner, lambda report: get_analyser(gazetteer_dir, progress=report), window)
    if splash is not None:
        splash.begin("analyser")
        warmup.stepped.connect(splash.analyser_step)
        warmup.ready.connect(splash.ready)
        warmup.failed.connect(splash.failed)
    window.warmup = warmup
    warmup.start()
    return warmup
