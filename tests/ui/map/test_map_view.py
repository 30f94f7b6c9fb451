"""The map view in a real QtWebEngine (offscreen): offline page, incremental updates,
escaped popups, clicks and highlights over the QWebChannel bridge."""

from __future__ import annotations

import pytest

from disaster_desk.core.map_items import MapItem
from disaster_desk.core.settings import MapSettings
from tests.ui.webpage import js, js_json

pytestmark = pytest.mark.gui

EVIL = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'


def _post(n, text="北区中崎町で火事", category="fire"):
    return MapItem(key=f"post:{n}", layer="post", lat=34.70 + n * 1e-4, lon=135.50, colour="#f46d43",
                   title="火災", fields=[("本文", text), ("投稿者", "a")], category=category)


@pytest.fixture
def view(qtbot):
    from disaster_desk.ui.map.view import MapView

    view = MapView(MapSettings())  # the default: the area pack's vector map, offline
    qtbot.addWidget(view)
    view.resize(900, 700)
    with qtbot.waitSignal(view.loaded, timeout=60_000):
        view.show()
    return view


def test_page_loads_offline_without_any_network_request(qtbot, view):
    assert js(qtbot, view, "typeof L.markerClusterGroup") == "function"
    assert js(qtbot, view, "ddBase()") == "area"
    assert js(qtbot, view, "document.querySelectorAll('.dd-ward').length") == 24
    assert js(qtbot, view, "document.querySelectorAll('.leaflet-tile').length") == 0
    qtbot.wait(300)
    assert view.guard.requested == [] and view.guard.blocked == []
    assert "https://cdn" not in view.page_path.read_text(encoding="utf-8").split("<script>")[0]


def test_area_map_draws_sea_land_and_ward_boundaries(qtbot, view):
    # land and sea: one SVG path per ward polygon and one for the sea, under the markers
    assert js(qtbot, view, "document.querySelectorAll('.leaflet-ddLand-pane path').length") == 25
    fills = js_json(qtbot, view, "Array.from(document.querySelectorAll('.leaflet-ddLand-pane path'))"
                            ".map(function (p) { return p.getAttribute('fill'); })")
    assert fills[0] == "#a8cbe2" and set(fills[1:]) == {"#fbf9f3"}  # the sea first, the wards over it
    assert js(qtbot, view, "document.querySelectorAll('.leaflet-ddBounds-pane path').length") == 24
    # the boundaries are drawn where the city is: 北区's outline encloses its name's point (Leaflet's SVG
    # renderer re-fits its box after the view's last resize/move, so on a loaded machine ask until it has)
    def name_inside_boundaries() -> bool:
        box = js_json(qtbot, view, "(function () { var m = window[DD_CONFIG.map];"
                              " var p = m.latLngToContainerPoint(DD_CONFIG.wardNames['北区']);"
                              " var r = document.querySelector('.leaflet-ddBounds-pane svg').getBoundingClientRect();"
                              " return [p.x, p.y, r.left, r.top, r.right, r.bottom]; })()")
        return box[2] <= box[0] <= box[4] and box[3] <= box[1] <= box[5]

    qtbot.waitUntil(name_inside_boundaries, timeout=10_000)
    attribution = js(qtbot, view, "document.querySelector('.leaflet-control-attribution').textContent")
    assert "国土数値情報" in attribution and "Geolonia" in attribution
    bases = js_json(qtbot, view, "Array.from(document.querySelectorAll('.leaflet-control-layers-base label'))"
                            ".map(function (l) { return l.textContent.trim(); })")
    assert bases == ["エリア地図", "地理院地図（オンライン）", "OpenStreetMap（オンライン）"]


def test_ward_names_are_drawn_above_muster_labels(qtbot, view):
    from disaster_desk.core.map_items import WARD_CENTROIDS

    view.set_items([MapItem(key=f"muster:{w}", layer="muster", lat=lat, lon=lon, colour="#d7191c", radius=14,
                            title=f"{w} 参集 3/40", label="3/40") for w, (lat, lon) in WARD_CENTROIDS.items()])
    qtbot.waitUntil(lambda: js(qtbot, view, "document.querySelectorAll('.dd-label').length") == 24, timeout=10_000)
    z = js_json(qtbot, view, "['ddWardNames', 'tooltipPane', 'markerPane', 'overlayPane'].map(function (p) {"
                        " return parseInt(getComputedStyle(window[DD_CONFIG.map].getPane(p)).zIndex, 10); })")
    assert z[0] > max(z[1:]), z  # names above muster labels (tooltips), badges and circles
    # and a ward's own muster label sits under its name, not on it
    overlaps = js_json(qtbot, view, """(function () {
      var names = {}, out = [];
      document.querySelectorAll('.dd-ward').forEach(function (el) { names[el.textContent] = el.getBoundingClientRect(); });
      Object.keys(DD_CONFIG.wardNames).forEach(function (w) {
        var label = ddMarker('muster:' + w).getTooltip().getElement().getBoundingClientRect(), n = names[w];
        if (label.left < n.right && n.left < label.right && label.top < n.bottom && n.top < label.bottom)
          out.push([w, n.top, n.bottom, label.top, label.bottom]);
      });
      return out; })()""")
    assert overlaps == []


def test_town_names_from_street_level_only(qtbot, view):
    assert js(qtbot, view, "document.querySelectorAll('.dd-town').length") == 0  # zoom 12
    js(qtbot, view, "window[DD_CONFIG.map].setView([34.7044, 135.5039], 15, {animate: false}); 0")
    qtbot.waitUntil(lambda: js(qtbot, view, "document.querySelectorAll('.dd-town').length") > 0, timeout=10_000)
    shown = js_json(qtbot, view, "Array.from(document.querySelectorAll('.dd-town')).map(function (e) {"
                            " return e.textContent; })")
    assert "中崎一丁目" in shown and len(shown) < 400  # only the towns in view, not all 1,903
    js(qtbot, view, "window[DD_CONFIG.map].setZoom(13, {animate: false}); 0")
    qtbot.waitUntil(lambda: js(qtbot, view, "document.querySelectorAll('.dd-town').length") == 0, timeout=10_000)


def test_selection_zooms_to_street_level_not_closer(qtbot, view):
    view.set_items([_post(1)])
    qtbot.waitUntil(lambda: js(qtbot, view, "ddCount()") == 1, timeout=10_000)
    assert js(qtbot, view, "ddHighlight('post:1')") is True
    assert js(qtbot, view, "window[DD_CONFIG.map].getZoom()") == 16
    js(qtbot, view, "window[DD_CONFIG.map].setZoom(18, {animate: false}); 0")
    js(qtbot, view, "ddHighlight('post:1')")
    assert js(qtbot, view, "window[DD_CONFIG.map].getZoom()") == 18  # the operator's own zoom is kept


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


def test_registry_shelters_are_small_dots_until_street_level(qtbot, view):
    ring = MapItem(key="shelter:7", layer="shelter", lat=34.70, lon=135.50, colour="#9e9e9e", filled=False,
                   title="扇町小学校（未開設）", radius=5)
    reported = MapItem(key="report:8", layer="shelter", lat=34.70, lon=135.51, colour="#2ca25f", title="開設",
                       radius=12)
    view.set_items([ring, reported])
    qtbot.waitUntil(lambda: js(qtbot, view, "ddCount()") == 2, timeout=10_000)
    assert js(qtbot, view, "ddMarker('shelter:7').getRadius()") == 3
    assert js(qtbot, view, "ddMarker('report:8').getRadius()") == 12
    js(qtbot, view, "window[DD_CONFIG.map].setZoom(14, {animate: false}); 0")
    assert js(qtbot, view, "ddMarker('shelter:7').getRadius()") == 3
    js(qtbot, view, "window[DD_CONFIG.map].setZoom(15, {animate: false}); 0")
    qtbot.waitUntil(lambda: js(qtbot, view, "ddMarker('shelter:7').getRadius()") == 5, timeout=10_000)
    assert js(qtbot, view, "ddMarker('report:8').getRadius()") == 12


def test_a_ward_station_opens_on_its_own_ward(qtbot):
    from disaster_desk.ui.map.view import MapView

    view = MapView(MapSettings(), focus_ward="平野区")
    qtbot.addWidget(view)
    view.resize(900, 700)
    with qtbot.waitSignal(view.loaded, timeout=60_000):
        view.show()
    zoom = js(qtbot, view, "window[DD_CONFIG.map].getZoom()")
    centre = js_json(qtbot, view, "window[DD_CONFIG.map].getCenter()")
    assert 13 <= zoom <= 14
    assert 34.59 < centre["lat"] < 34.64 and 135.53 < centre["lng"] < 135.59  # 平野区, south-east
    widths = js_json(qtbot, view, "Array.from(document.querySelectorAll('.leaflet-ddBounds-pane path'))"
                                  ".map(function (p) { return p.getAttribute('stroke-width'); })")
    assert sorted(widths).count("3.5") == 1 and len(widths) == 24
