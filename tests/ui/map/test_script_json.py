"""Marker JSON made on the worker pool: the same page data as the view's own, and never made on the GUI thread."""

from __future__ import annotations

import json
import threading

from disaster_desk.core.map_items import MapItem
from disaster_desk.ui.map.script_json import item_json, items_json, prepared, script_json


def _item(key: str, title: str) -> MapItem:
    return MapItem(key=key, layer="post", lat=34.7, lon=135.5, colour="#d32f2f", title=title, category="fire")


def test_joined_item_json_is_the_list_json_and_stays_script_safe():
    items = [_item("post:1", "火災</script><b>x"), _item("post:2", "改行\u2028です")]
    text = items_json(items, prepared(items))
    assert json.loads(text) == [i.to_json() for i in items]
    assert "</" not in text and "\u2028" not in text
    assert text == items_json(items)  # without ready strings: made here, the same text
    assert script_json(items[0].to_json()) == item_json(items[0])


def test_a_missing_ready_string_is_made_on_the_spot():
    items = [_item("post:1", "a"), _item("post:2", "b")]
    ready = prepared(items[:1] + [None])
    assert set(ready) == {"post:1"}
    assert json.loads(items_json(items, ready))[1]["title"] == "b"


def test_the_window_makes_marker_json_on_the_pool(make_main_window, sqlite_db, clock, analyser, qtbot,
                                                  monkeypatch):
    """The map's picture and a changed marker: to_json runs on pool threads only."""
    from disaster_desk.core.triage import TriageService
    from disaster_desk.ui.workers import ThreadRunner
    from tests.ui.seed import FIRE_TEXT, RESCUE_TEXT, posts
    from tests.ui.webpage import js

    threads: list[str] = []
    to_json = MapItem.to_json

    def recording(self):
        threads.append(threading.current_thread().name)
        return to_json(self)

    monkeypatch.setattr(MapItem, "to_json", recording)
    first, second = posts(sqlite_db, clock, analyser, [FIRE_TEXT, RESCUE_TEXT])
    window = make_main_window(runner=ThreadRunner())
    view = window.map_view
    qtbot.waitUntil(lambda: view.is_ready, timeout=60_000)
    window.load_map_items()
    qtbot.waitUntil(lambda: js(qtbot, view, f"!!ddMarker('post:{first}') && !!ddMarker('post:{second}')"),
                    timeout=10_000)
    TriageService(sqlite_db, clock).acknowledge("post", first, actor="op")
    window.hub.poll()
    made = len(threads)
    assert made >= 2  # the picture's two markers
    qtbot.waitUntil(lambda: "確認済" in js(qtbot, view, f"JSON.stringify(ddMarker('post:{first}').ddItem.fields)"),
                    timeout=10_000)  # the changed marker, re-read with its JSON
    assert len(threads) > made and threading.main_thread().name not in threads
