"""Saving a PNG of the main window (``disaster-desk screenshot``), offscreen too.

The window is shown at the requested size, the demo optionally started, the
event loop run for ``after`` seconds (the map's ``loaded`` signal is also
awaited, so QtWebEngine has painted), then ``window.grab()`` is saved.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def parse_size(text: str) -> tuple[int, int]:
    from disaster_desk.errors import UserError

    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise UserError(f"--size: expected WIDTHxHEIGHT like 1600x1000, not {text!r}") from None
    if not (200 <= width <= 8000 and 200 <= height <= 8000):
        raise UserError(f"--size: {width}x{height} out of range (200..8000)")
    return width, height


def wait(seconds: float, until: Any = None) -> None:
    """Run the event loop for ``seconds`` (or until ``until()`` is true, if given, after at least 0.5 s)."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    end = time.monotonic() + seconds
    start = time.monotonic()
    while time.monotonic() < end:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if until is not None and time.monotonic() - start > 0.5 and until():
            break
        time.sleep(0.02)


def take_screenshot(settings: Any, db: Any, out: Path, *, demo: bool, after: float, size: tuple[int, int]) -> Path:
    from disaster_desk.ui.app import open_window

    window = open_window(settings, db)
    window.resize(*size)
    window.show()
    wait(0.2)
    window.build_deferred_panels()
    map_loaded = {"done": not hasattr(window.map_view, "loaded")}
    if not map_loaded["done"]:
        window.map_view.loaded.connect(lambda: map_loaded.update(done=True))
    if demo:
        window.start_demo()
    wait(after)
    wait(20.0, until=lambda: map_loaded["done"])  # the map has painted its items
    window.load_map_items()
    wait(1.0)
    if window.queue.model.rowCount():
        window.map_follows_selection = False  # keep the city overview with every marker
        window.queue.focus_table()  # the first item's detail shows
    wait(1.5)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out), "PNG"):
        from disaster_desk.errors import UserError

        raise UserError(f"cannot write {out}")
    log.info("screenshot written to %s", out)
    window.close()
    return out
