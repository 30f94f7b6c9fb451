"""The demo: the bundled drill scenario played through the real pipeline.

``DemoController.start()`` loads the analyser off the GUI thread, then drives
:class:`drills.engine.DrillEngine` with ``step_due()`` from a QTimer; each
step runs in a worker (posts are analysed there), never in the GUI thread.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from disaster_desk.core.db import Database

log = logging.getLogger(__name__)

DEMO_SCENARIO = "uemachi.yaml"
#: The whole scenario plays in about this many wall seconds.
DEMO_SECONDS = 45.0


def demo_scenario_path() -> Path:
    from drills.scenario import bundled_scenarios

    paths = bundled_scenarios()
    for path in paths:
        if Path(path).name == DEMO_SCENARIO:
            return Path(path)
    if not paths:
        raise FileNotFoundError("no bundled drill scenario")
    return Path(paths[0])


def demo_speed(duration_s: float, wall_s: float = DEMO_SECONDS) -> float:
    return max(1.0, round(duration_s / wall_s, 1))


class DemoController(QObject):
    started = Signal(object)  # the DrillEngine
    stepped = Signal(int)  # injects played in the step
    finished = Signal()
    failed = Signal(str)

    def __init__(self, db: Database, runner: Any, analyser_provider: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.runner = runner
        self.analyser_provider = analyser_provider
        self.engine: Any = None
        self._busy = False
        self.timer = QTimer(self, interval=250)
        self.timer.timeout.connect(self._tick)

    def start(self, path: Path | None = None, speed: float | None = None) -> None:
        from drills.engine import DrillEngine
        from drills.scenario import load_scenario

        scenario = load_scenario(path or demo_scenario_path())
        speed = speed or demo_speed(scenario.duration_s)

        def prepare(ctx) -> Any:
            analyser = self.analyser_provider()
            ctx.check()  # cancelled while the model loaded: start nothing
            engine = DrillEngine(scenario, self.db, speed=speed, analyser=analyser, actor="demo")
            engine.start()
            return engine

        self.loading = self.runner.submit(prepare, on_done=self._ready,
                                          on_error=lambda exc: self.failed.emit(str(exc)))

    def cancel(self) -> None:
        """Give up starting (while the analyser loads) or stop the running demo."""
        loading = getattr(self, "loading", None)
        if loading is not None and not loading.done:
            loading.cancel()
        self.stop()

    def _ready(self, engine: Any) -> None:
        self.engine = engine
        log.info("demo playing %s at ×%s (run %s)", engine.scenario.name, engine.speed, engine.run_id)
        self.started.emit(engine)
        self.timer.start()

    def _tick(self) -> None:
        if self.engine is None or self._busy:
            return
        if self.engine.finished:
            self.timer.stop()
            self.finished.emit()
            return
        self._busy = True
        engine = self.engine
        self.runner.submit(lambda ctx: engine.step_due(), on_done=self._stepped, on_error=self._step_failed)

    def _stepped(self, played: int) -> None:
        self._busy = False
        if played:
            self.stepped.emit(played)

    def _step_failed(self, exc: Exception) -> None:
        self._busy = False
        self.failed.emit(str(exc))

    def stop(self) -> None:
        """Stop the demo's run (written on the runner: the window waits for its runner on close)."""
        self.timer.stop()
        engine = self.engine
        if engine is not None and not engine.finished:
            self.runner.submit(lambda _ctx: engine.stop())
