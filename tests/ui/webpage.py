"""Reading the real QtWebEngine map page back from a test."""

from __future__ import annotations


def js(qtbot, view, script):
    """Run ``script`` in the map page and wait for its result (runJavaScript is asynchronous)."""
    box = []
    view.run(script, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    return box[0]
