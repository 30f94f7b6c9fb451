"""The map page HTML (no Qt needed): offline assets, the area pack's vector base map, base-map choice."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from disaster_desk.core.settings import MapSettings
from disaster_desk.core.tiles import TileInfo
from disaster_desk.ui.map.page import build_page

LOADS = re.compile(r"""(?:<script[^>]*\bsrc|<link[^>]*\bhref|@import\s+url)\s*=?\s*["'(]?\s*(https?:)?//""", re.I)
LOCAL = TileInfo("mbtiles", Path("/x/t.mbtiles"), 10, 15, "", "<b>試験</b>")


def config(html: str) -> dict:
    return json.loads(re.search(r"var DD_CONFIG = (\{.*?\});\n", html).group(1))


@pytest.mark.parametrize("base", ["area", "none", "gsi", "osm", "local"])
def test_page_loads_no_script_or_stylesheet_from_the_network(base):
    html = build_page(MapSettings(base_layer=base))
    assert not LOADS.search(html)
    assert "L.markerClusterGroup" in html and "ddHighlight" in html


def test_base_layers():
    default = config(build_page(MapSettings()))
    assert default["base"] == "area"
    assert [b["id"] for b in default["bases"]] == ["area", "gsi", "osm"]  # no local tiles configured
    urls = {b["id"]: b.get("url") for b in default["bases"]}
    assert "cyberjapandata.gsi.go.jp" in urls["gsi"] and "tile.openstreetmap.org" in urls["osm"]
    assert config(build_page(MapSettings(base_layer="none")))["base"] == "area"  # the older name
    assert config(build_page(MapSettings(base_layer="gsi")))["base"] == "gsi"
    # local without tiles falls back to the area map; with them it is the first choice after it
    assert config(build_page(MapSettings(base_layer="local")))["base"] == "area"
    local = config(build_page(MapSettings(base_layer="local"), local=LOCAL))
    assert local["base"] == "local"
    entry = local["bases"][1]
    assert (entry["id"], entry["url"], entry["minNativeZoom"], entry["maxNativeZoom"]) == (
        "local", "ddtiles://local/{z}/{x}/{y}", 10, 15)
    assert entry["attribution"] == "ローカルタイル（&lt;b&gt;試験&lt;/b&gt;）"  # a file's name is text
    assert [b["name"] for b in local["bases"]] == ["エリア地図", "ローカルタイル", "地理院地図（オンライン）",
                                                   "OpenStreetMap（オンライン）"]


def test_area_map_comes_from_the_pack():
    cfg = config(build_page(MapSettings()))
    wards = {f["properties"]["ward"] for f in cfg["wards"]["features"]}
    assert len(wards) == 24 and "此花区" in wards and "平野区" in wards
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in cfg["wards"]["features"])
    assert cfg["sea"]["features"][0]["geometry"]["type"] == "Polygon"
    assert set(cfg["wardNames"]) == wards
    assert len(cfg["towns"]) == 1903 and ["安土町一丁目", 34.68433, 135.50814] in cfg["towns"]
    assert cfg["townZoom"] == 15 and cfg["selectZoom"] == 16
    # short forms in the corner, the manifest's full lines as their tooltip
    assert ">出典：国土数値情報（行政区域）を加工して作成<" in cfg["areaAttribution"]
    assert "title='出典：国土交通省国土数値情報（行政区域データ、2020年1月1日時点）を加工して作成'" in cfg[
        "areaAttribution"]
    assert "Geolonia 住所データ (CC BY 4.0)" in cfg["townAttribution"] and "位置参照情報" in cfg["townAttribution"]


def test_users_imported_boundaries_replace_the_packs(tmp_path):
    (tmp_path / "wards.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"ward": "試験区", "centroid": [34.7, 135.5]},
         "geometry": {"type": "Polygon", "coordinates": [[[135.5, 34.7], [135.51, 34.7], [135.5, 34.71],
                                                          [135.5, 34.7]]]}}]}), encoding="utf-8")
    cfg = config(build_page(MapSettings(), user_dir=tmp_path))
    assert [f["properties"]["ward"] for f in cfg["wards"]["features"]] == ["試験区"]
    assert cfg["wardNames"] == {"試験区": [34.7, 135.5]}


def test_layer_control_words_follow_the_language():
    ja, en = config(build_page(MapSettings())), config(build_page(MapSettings(), language="en"))
    assert ja["words"] == {"bounds": "区境界", "wards": "区名", "towns": "町名（ズーム15以上）"}
    assert en["words"] == {"bounds": "Ward boundaries", "wards": "Ward names", "towns": "Town names (zoom 15+)"}
    assert [b["name"] for b in en["bases"]] == ["Area map", "GSI map (online)", "OpenStreetMap (online)"]
    assert "避難所" in ja["overlayNames"].values() and "Shelters" in en["overlayNames"].values()
    assert "投稿: 救助要請" in ja["overlayNames"].values() and "Posts: Rescue request" in en["overlayNames"].values()
