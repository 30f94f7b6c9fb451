"""Queue ↔ map in the real window: selecting an item highlights it on the QtWebEngine map,
clicking a marker selects its item in the queue."""

from __future__ import annotations

import pytest

from tests.ui.seed import FIRE_TEXT, posts
from tests.ui.webpage import js

pytestmark = pytest.mark.gui


@pytest.fixture
def window_with_post(make_main_window, sqlite_db, clock, analyser, qtbot):
    [post_id] = posts(sqlite_db, clock, analyser, [FIRE_TEXT])
    window = make_main_window()
    if not hasattr(window.map_view, "loaded"):
        pytest.fail("the map view module is missing")
    qtbot.waitUntil(lambda: window.map_view.is_ready, timeout=60_000)
    window.load_map_items()
    qtbot.waitUntil(lambda: js(qtbot, window.map_view, "ddCount()") >= 1, timeout=10_000)
    return window, post_id


def test_selecting_an_item_highlights_it_on_the_map(window_with_post, qtbot):
    window, post_id = window_with_post
    assert js(qtbot, window.map_view, f"!!ddMarker('post:{post_id}')")
    window.queue.select_key(f"post:{post_id}")
    popup = "(document.querySelector('.leaflet-popup-content') || {}).textContent || ''"
    qtbot.waitUntil(lambda: "野田阪神" in js(qtbot, window.map_view, popup), timeout=10_000)


def test_clicking_a_marker_selects_the_item(window_with_post, qtbot):
    window, post_id = window_with_post
    window.queue.table.clearSelection()
    window.map_view.run(f"ddMarker('post:{post_id}').fire('click')")
    qtbot.waitUntil(lambda: window.queue.selected_row() is not None, timeout=10_000)
    assert window.queue.selected_row().item_id == post_id
    assert window.detail.row.item_id == post_id
