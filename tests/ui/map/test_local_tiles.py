"""``map.base_layer: local``: a small generated .mbtiles (or XYZ folder) served to the real QtWebEngine
page through the ``ddtiles:`` scheme; tile images load, with no request to the network."""

from __future__ import annotations

import pytest

from disaster_desk.core.settings import MapSettings
from tests.tiles import tiles_around, write_folder, write_mbtiles
from tests.ui.webpage import js, js_json

pytestmark = pytest.mark.gui

CENTER = (34.6937, 135.5023)


def _view(qtbot, settings):
    from disaster_desk.ui.map.view import MapView

    view = MapView(settings)
    qtbot.addWidget(view)
    view.resize(900, 700)
    with qtbot.waitSignal(view.loaded, timeout=60_000):
        view.show()
    return view


LOADED = ("Array.from(document.querySelectorAll('img.leaflet-tile-loaded')).filter(function (i) {"
          " return i.src.indexOf('ddtiles://local/') === 0 && i.naturalWidth === 256; }).length")


@pytest.mark.parametrize("kind", ["mbtiles", "folder"])
def test_local_tiles_load_in_the_page(qtbot, tmp_path, kind):
    tiles = tiles_around(*CENTER, 12)
    path = (write_mbtiles(tmp_path / "osaka.mbtiles", tiles, attribution="© 試験タイル") if kind == "mbtiles"
            else write_folder(tmp_path / "xyz", tiles))
    view = _view(qtbot, MapSettings(base_layer="local", local_tiles=str(path)))
    assert js(qtbot, view, "ddBase()") == "local"
    qtbot.waitUntil(lambda: js(qtbot, view, LOADED) >= 4, timeout=20_000)
    assert view.tiles.served >= 4
    # every tile the page showed is one of ours, at its XYZ place (the .mbtiles' TMS rows flipped)
    srcs = js_json(qtbot, view, "Array.from(document.querySelectorAll('img.leaflet-tile-loaded')).map("
                           "function (i) { return i.src; })")
    shown = {tuple(int(p) for p in s.split("ddtiles://local/")[1].split("/")) for s in srcs}
    assert shown and shown <= set(tiles)
    assert view.guard.requested == []
    assert js(qtbot, view, "document.querySelectorAll('.dd-ward').length") == 24  # names over the tiles
    assert js(qtbot, view, "document.querySelectorAll('.leaflet-ddBounds-pane path').length") == 24
    if kind == "mbtiles":
        assert "© 試験タイル" in js(qtbot, view, "document.querySelector('.leaflet-control-attribution').textContent")
    bases = js_json(qtbot, view, "Array.from(document.querySelectorAll('.leaflet-control-layers-base label'))"
                            ".map(function (l) { return l.textContent.trim(); })")
    assert bases[:2] == ["エリア地図", "ローカルタイル"]


def test_missing_local_tiles_show_the_area_map_and_say_why(qtbot, tmp_path):
    view = _view(qtbot, MapSettings(base_layer="local", local_tiles=str(tmp_path / "nowhere.mbtiles")))
    assert js(qtbot, view, "ddBase()") == "area"
    assert view.tiles is None
    assert view.tiles_label.isVisible() and "nowhere.mbtiles" in view.tiles_label.text()
    assert "ローカルタイルを表示できません" in view.tiles_label.text()
