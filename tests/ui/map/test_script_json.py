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


def test_markers_beyond_the_bound_leave_the_page_least_relevant_first(make_main_window, settings, sqlite_db, clock,
                                                                     analyser, qtbot):
    """A changed marker over the bound: the least relevant post markers leave, in one call into the page."""
    from disaster_desk.core.triage import TriageService
    from tests.ui.seed import FIRE_TEXT, RESCUE_TEXT, posts
    from tests.ui.webpage import js

    bounded = settings.model_copy(update={"map": settings.map.model_copy(update={"marker_bound": 2})})
    fire, rescue = posts(sqlite_db, clock, analyser, [FIRE_TEXT, RESCUE_TEXT], prefix="a")
    window = make_main_window(settings=bounded)
    view = window.map_view
    qtbot.waitUntil(lambda: view.is_ready, timeout=60_000)
    window.load_map_items()
    qtbot.waitUntil(lambda: js(qtbot, view, f"!!ddMarker('post:{fire}') && !!ddMarker('post:{rescue}')"),
                    timeout=10_000)
    TriageService(sqlite_db, clock).acknowledge("post", fire, actor="op")  # handled: the least relevant now
    later, last = posts(sqlite_db, clock, analyser, ["西区九条で家が潰れて祖母が中に閉じ込められています。助けてください",
                                                     "港区弁天で倒れた塀の下に人がいて動けません。救助をお願いします"],
                        prefix="b")
    calls: list[str] = []
    run = view.run
    view.run = lambda script, callback=None: (calls.append(script), run(script, callback))[1]
    window.hub.poll()
    qtbot.waitUntil(lambda: js(qtbot, view, f"!!ddMarker('post:{later}') && !!ddMarker('post:{last}')"),
                    timeout=10_000)
    qtbot.waitUntil(lambda: not js(qtbot, view, f"!!ddMarker('post:{fire}') || !!ddMarker('post:{rescue}')"),
                    timeout=10_000)  # the handled one and the oldest new one
    assert sum("ddRemove" in c for c in calls) == 1
    assert sum(1 for item in window._map_items.values() if item.layer == "post") == 2
