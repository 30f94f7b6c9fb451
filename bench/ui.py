"""The desktop app at scale: startup-to-window time and the queue with 1,000,000 posts.

``python -m bench ui``. Reuses the 1M-post SQLite built by ``bench/queue.py``
(under /tmp). Baselines measured in the same run:

* startup: a bare ``QApplication`` + empty ``QWidget`` shown, in a fresh process,
  against the main window on an empty database and on the 1M-post database;
* queue: the same model/view operations on a 1,000-post database built by the
  same generator, so the ratio shows what a million rows cost.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RUNS = 3
SCROLL_STEPS = 40

CHILD = r"""
import os, sys, time
t0 = time.perf_counter()
kind, url = sys.argv[1], sys.argv[2]
from disaster_desk.ui.qtenv import prepare_qt_environment
prepare_qt_environment()
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print("SHOWN", time.perf_counter() - t0, flush=True)
            os._exit(0)
        return False

if kind == "bare":
    app = QApplication(sys.argv[:1])
    w = QWidget(); w.resize(1600, 1000)
else:
    from disaster_desk.core.db import Database
    from disaster_desk.core.settings import Settings
    from disaster_desk.ui.app import open_window
    settings = Settings(db_url=url)
    w = open_window(settings, Database.open(url))
    app = QApplication.instance()
spy = FirstPaint()
w.installEventFilter(spy)
w.show()
app.exec()
"""


def startup(kind: str, url: str) -> float:
    """Wall seconds from spawning the process to the first paint of the window."""
    env = dict(os.environ, DD_CONFIG_DIR=tempfile.mkdtemp(prefix="dd-bench-ui-"))
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, kind, url], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=env)
    for line in proc.stdout:
        if line.startswith("SHOWN"):
            elapsed = time.perf_counter() - t0
            proc.kill()
            proc.wait()
            return elapsed
    proc.wait()
    raise RuntimeError(f"{kind} window never showed (exit {proc.returncode})")


def median_startup(kind: str, url: str) -> float:
    return statistics.median(startup(kind, url) for _ in range(RUNS))


def small_db(n: int = 1000):
    """A database of ``n`` posts from bench/queue.py's generator (its globals set for the call)."""
    from bench import queue as q

    saved = q.N_POSTS, q.PATH
    q.N_POSTS, q.PATH = n, Path(f"/tmp/dd-bench-ui-{n}.sqlite")
    try:
        return q.build()
    finally:
        q.N_POSTS, q.PATH = saved


def queue_timings(db) -> dict[str, float]:
    """Open the queue panel, fetch pages by scrolling to the end, scroll around loaded rows."""
    from PySide6.QtWidgets import QApplication

    from disaster_desk.core.clock import SystemClock
    from disaster_desk.core.queue import QueueService
    from disaster_desk.ui.queue_panel import QueuePanel

    app = QApplication.instance()
    t0 = time.perf_counter()
    from disaster_desk.ui.workers import SyncRunner

    # reads in the calling thread, as the window's pool would run them: the timings include the reads
    panel = QueuePanel(QueueService(db), SystemClock(), runner=SyncRunner())
    panel.resize(900, 700)
    panel.show()
    app.processEvents()
    open_ms = (time.perf_counter() - t0) * 1000
    bar = panel.table.verticalScrollBar()
    fetch = []
    for _ in range(SCROLL_STEPS):  # to the bottom: the view calls fetchMore
        t = time.perf_counter()
        bar.setValue(bar.maximum())
        panel.table.viewport().repaint()
        app.processEvents()
        fetch.append((time.perf_counter() - t) * 1000)
    frames = []
    rows = panel.model.rowCount()
    for i in range(SCROLL_STEPS * 2):  # wheel-sized jumps through loaded rows
        t = time.perf_counter()
        bar.setValue((i * 37) % max(1, bar.maximum()))
        panel.table.viewport().repaint()
        app.processEvents()
        frames.append((time.perf_counter() - t) * 1000)
    bar.setValue(bar.maximum())
    app.processEvents()
    t = time.perf_counter()
    panel.refresh()  # reading far down: deferred (count only) until back near the top
    refresh_deep_ms = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    panel.refresh(force=True)  # what the deferral avoids
    refresh_forced_ms = (time.perf_counter() - t) * 1000
    bar.setValue(0)
    app.processEvents()
    t = time.perf_counter()
    panel.refresh()  # at the top, where an operator watches new items arrive
    refresh_ms = (time.perf_counter() - t) * 1000
    panel.close()
    return {
        "open_ms": open_ms,
        "fetch_median_ms": statistics.median(fetch),
        "fetch_max_ms": max(fetch),
        "frame_median_ms": statistics.median(frames),
        "frame_p95_ms": sorted(frames)[int(len(frames) * 0.95) - 1],
        "refresh_top_ms": refresh_ms,
        "refresh_deep_ms": refresh_deep_ms,
        "refresh_deep_forced_ms": refresh_forced_ms,
        "rows_loaded": rows,
        "total": panel.model.total,
    }


def main() -> None:
    from bench import queue as q

    big = q.build()
    small = small_db()
    empty = f"sqlite:///{tempfile.mkdtemp(prefix='dd-bench-ui-')}/empty.sqlite"
    big_url = f"sqlite:///{q.PATH}"

    bare = median_startup("bare", empty)
    win_empty = median_startup("window", empty)
    win_big = median_startup("window", big_url)
    print(f"startup to first paint of the window (median of {RUNS}, fresh process incl. interpreter):")
    print(f"  bare QApplication+QWidget  {bare:6.2f} s   (baseline)")
    print(f"  main window, empty db      {win_empty:6.2f} s   ratio {win_empty / bare:.2f}")
    print(f"  main window, 1M posts      {win_big:6.2f} s   ratio {win_big / bare:.2f}")

    from disaster_desk.ui.app import make_application

    make_application("ja", 1.0)
    base = queue_timings(small)
    scale = queue_timings(big)
    print(f"queue panel ({SCROLL_STEPS} scrolls to the end = {SCROLL_STEPS} page fetches of 200 rows):")
    print(f"  {'':22} {'1k posts':>10} {'1M posts':>10} {'ratio':>7}")
    for key in ("open_ms", "fetch_median_ms", "fetch_max_ms", "frame_median_ms", "frame_p95_ms", "refresh_top_ms",
                "refresh_deep_ms", "refresh_deep_forced_ms"):
        ratio = scale[key] / base[key] if base[key] else float("nan")
        print(f"  {key:22} {base[key]:10.1f} {scale[key]:10.1f} {ratio:7.2f}")
    print(f"  rows loaded / total: 1k {base['rows_loaded']}/{base['total']}, 1M {scale['rows_loaded']}/{scale['total']:,}")
    small.dispose()
    big.dispose()


if __name__ == "__main__":
    main()
