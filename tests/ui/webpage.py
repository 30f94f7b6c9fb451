"""Reading the real QtWebEngine map page back from a test."""

from __future__ import annotations


def js(qtbot, view, script):
    """Run ``script`` in the map page and wait for its result (runJavaScript is asynchronous)."""
    box = []
    view.run(script, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    return box[0]


def js_json(qtbot, view, script):
    """Like :func:`js` for a value the bridge does not carry whole (arrays of strings or numbers): via JSON."""
    import json

    return json.loads(js(qtbot, view, f"JSON.stringify({script})"))
