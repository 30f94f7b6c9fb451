"""The map view in a real QtWebEngine (offscreen): offline page, incremental updates,
escaped popups, clicks and highlights over the QWebChannel bridge."""

from __future__ import annotations

import pytest

from disaster_desk.core.map_items import MapItem
from disaster_desk.core.settings import MapSettings
from tests.ui.webpage import js

pytestmark = pytest.mark.gui

EVIL = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'


def _post(n, text="北区中崎町で火事", category="fire"):
    return MapItem(key=f"post:{n}", layer="post", lat=34.70 + n * 1e-4, lon=135.50, colour="#f46d43",
                   title="火災", fields=[("本文", text), ("投稿者", "a")], category=category)


@pytest.fixture
def view(qtbot):
    from disaster_desk.ui.map.view import MapView

    view = MapView(MapSettings(base_layer="none"))
    qtbot.addWidget(view)
    view.resize(900, 700)
    with qtbot.waitSignal(view.loaded, timeout=60_000):
        view.show()
    return view


def test_page_loads_offline_without_any_network_request(qtbot, view):
    assert js(qtbot, view, "typeof L.markerClusterGroup") == "function"
    assert js(qtbot, view, "document.querySelectorAll('.dd-ward').length") == 24  # ward labels, no tiles
    assert view.guard.blocked == []
    assert "https://cdn" not in view.page_path.read_text(encoding="utf-8").split("<script>")[0]


def test_post_text_with_markup_renders_as_text(qtbot, view):
    view.set_items([_post(1, text=EVIL)])
    view.highlight("post:1")
    qtbot.waitUntil(lambda: js(qtbot, view, "document.querySelector('.dd-popup') !== null"), timeout=10_000)
    popup = "document.querySelector('.dd-popup[data-key=\"post:1\"]')"
    assert EVIL in js(qtbot, view, f"{popup}.textContent")
    assert js(qtbot, view, f"{popup}.querySelectorAll('img, script').length") == 0
    assert js(qtbot, view, "typeof window.pwned") == "undefined"


def test_new_items_arrive_without_reloading_the_page(qtbot, view):
    js(qtbot, view, "window.ddSentinel = 'kept'")
    view.set_items([_post(1)])
    qtbot.waitUntil(lambda: js(qtbot, view, "ddCount()") == 1, timeout=10_000)
    view.add_items([_post(n) for n in range(2, 102)])
    qtbot.waitUntil(lambda: js(qtbot, view, "ddCount()") == 101, timeout=10_000)
    shelter = MapItem(key="report:5", layer="shelter", lat=34.7, lon=135.5, colour="#2ca25f", title="扇町小学校（開設）")
    view.update_item(shelter)
    view.update_item(MapItem(**{**shelter.__dict__, "colour": "#d7191c", "title": "扇町小学校（満員）"}))
    qtbot.waitUntil(lambda: js(qtbot, view, "ddMarker('report:5') && ddMarker('report:5').options.color")
                    == "#d7191c", timeout=10_000)
    assert js(qtbot, view, "ddCount()") == 102
    assert js(qtbot, view, "window.ddSentinel") == "kept"


def test_clicking_a_marker_emits_its_key_and_highlight_opens_it(qtbot, view):
    shelter = MapItem(key="report:5", layer="shelter", lat=34.66, lon=135.45, colour="#2ca25f", title="避難所",
                      fields=[("状態", "開設")])
    view.set_items([_post(1), shelter])
    qtbot.waitUntil(lambda: js(qtbot, view, "ddCount()") == 2, timeout=10_000)
    with qtbot.waitSignal(view.item_clicked, timeout=10_000) as signal:
        view.run("ddMarker('report:5').fire('click')")
    assert signal.args == ["report:5"]
    assert js(qtbot, view, "ddHighlight('report:5')") is True
    qtbot.waitUntil(lambda: js(qtbot, view, "ddMarker('report:5').isPopupOpen()") is True, timeout=10_000)
    assert js(qtbot, view, "ddHighlight('post:999')") is False


def test_hidden_category_is_kept_and_shown_when_switched_on(qtbot, view):
    view.set_items([_post(1), _post(2, category="none")])
    qtbot.waitUntil(lambda: js(qtbot, view, "ddCount()") == 2, timeout=10_000)
    none_group = "window[DD_CONFIG.categories.none]"
    cluster = "window[DD_CONFIG.cluster]"
    assert js(qtbot, view, f"{cluster}.hasLayer(ddMarker('post:2'))") is False  # 該当なし hidden by default
    js(qtbot, view, f"window[DD_CONFIG.map].addLayer({none_group}); 0")
    assert js(qtbot, view, f"{cluster}.hasLayer(ddMarker('post:2'))") is True


def test_popup_labels_stay_on_one_line_and_an_open_popup_follows_a_change(qtbot, view):
    item = MapItem(key="post:5", layer="post", lat=34.70, lon=135.50, colour="#d7191c", title="救助要請",
                   category="rescue", fields=[("本文", "北区中崎町で下敷き " * 20), ("受信", "12/04 03:12"),
                                              ("状態", "新規")])
    view.set_items([item])
    view.highlight("post:5")
    qtbot.waitUntil(lambda: js(qtbot, view, "document.querySelector('.dd-popup th') !== null"), timeout=10_000)
    # a label is one line tall, not one character per line
    heights = js(qtbot, view, "Array.from(document.querySelectorAll('.dd-popup th')).map("
                              "function (th) { return [th.getBoundingClientRect().height, th.textContent]; })")
    line = js(qtbot, view, "parseFloat(getComputedStyle(document.querySelector('.dd-popup th')).lineHeight) || 20")
    assert all(h <= line * 1.5 for h, text in heights if text != "本文"), heights
    assert js(qtbot, view, "getComputedStyle(document.querySelector('.dd-popup th')).whiteSpace") == "nowrap"
    item.fields[-1] = ("状態", "共有済→消防局")
    view.update_item(item)
    qtbot.waitUntil(lambda: "共有済→消防局" in js(qtbot, view, "document.querySelector('.dd-popup').textContent"),
                    timeout=10_000)
