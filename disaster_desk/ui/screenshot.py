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


#: The README pictures stay under this size (bytes).
PNG_LIMIT = 480_000


def save_png(picture: Any, out: Path) -> Path:
    """Save a grab as PNG, small enough for the README: colours cut to 16 bits (5-6-5), then to 12 (4-4-4)
    if that is still over :data:`PNG_LIMIT` — invisible on a UI of flat colours and antialiased text."""
    from PySide6.QtGui import QImage

    from disaster_desk.errors import UserError

    image = picture.toImage() if hasattr(picture, "toImage") else picture
    out.parent.mkdir(parents=True, exist_ok=True)
    for fmt in (QImage.Format.Format_RGB16, QImage.Format.Format_RGB444):
        small = image.convertToFormat(fmt).convertToFormat(QImage.Format.Format_RGB888)
        if not small.save(str(out), "PNG", 0):
            raise UserError(f"cannot write {out}")
        if out.stat().st_size <= PNG_LIMIT:
            break
    return out


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
    save_png(window.grab(), out)
    log.info("screenshot written to %s (%d bytes)", out, out.stat().st_size)
    window.close()
    return out


def take_html_screenshot(page: Path, out: Path, *, after: float, size: tuple[int, int]) -> Path:
    """A PNG of a local HTML file (the after-action report) as QtWebEngine renders it, offline.

    The top of the page at ``size`` (for a report: its first page, the KPIs against their targets).
    Requests to the network are refused, as on the map.
    """
    from PySide6.QtCore import QUrl
    from PySide6.QtWidgets import QApplication

    from disaster_desk.errors import UserError

    app = QApplication.instance() or QApplication([])
    from PySide6.QtWebEngineWidgets import QWebEngineView

    from disaster_desk.ui.map.view import OfflineGuard

    view = QWebEngineView()
    guard = OfflineGuard(set(), view)
    view.page().setUrlRequestInterceptor(guard)
    view.resize(*size)
    state = {"done": False, "ok": False}

    def finished(ok: bool) -> None:
        state.update(done=True, ok=ok)

    view.loadFinished.connect(finished)
    view.load(QUrl.fromLocalFile(str(Path(page).resolve())))
    view.show()
    wait(60.0, until=lambda: state["done"])
    if not state["ok"]:
        raise UserError(f"--html: {page} could not be rendered")
    wait(max(after, 0.5))
    save_png(view.grab(), out)
    if guard.blocked:
        log.warning("%s asked the network %d times (refused)", page, len(guard.blocked))
    view.page().deleteLater()
    view.close()
    app.processEvents()
    log.info("screenshot of %s written to %s", page, out)
    return out
