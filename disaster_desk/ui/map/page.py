"""The map page: a folium (offlinefolium) map with every asset inline.

offlinefolium embeds Leaflet, MarkerCluster and the other plugins' JS/CSS in
the page from the installed package, so the page needs no internet (and never
asks a CDN). Markers are not in the HTML: the view adds them afterwards with
the small API in ``dd_map.js`` (``ddSet``/``ddAdd``/``ddUpdate``/
``ddHighlight``), so new items never reload the page.
"""

from __future__ import annotations

import csv
import json
from importlib import resources
from pathlib import Path
from typing import Any

import offlinefolium as folium
from branca.element import Element
from offlinefolium import plugins

from disaster_desk.core.area_pack import DEFAULT_AREA, load_pack
from disaster_desk.core.map_items import WARD_CENTROIDS
from disaster_desk.core.settings import MapSettings
from disaster_desk.core.taxonomy import LABELS
from disaster_desk.core.tiles import TileInfo
from disaster_desk.core.vocabulary import LABEL, Term

#: Online tile layers (only useful with a network; never the default).
TILES = {
    "gsi": ("https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png",
            "<a href='https://maps.gsi.go.jp/development/ichiran.html'>地理院タイル</a>", 18),
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "&copy; <a href='https://www.openstreetmap.org/copyright'>OpenStreetMap</a> contributors", 19),
}
#: The page's own words (the layer control), Japanese and English, as in core.vocabulary.
WORDS = {t.id: t for t in (
    Term("area", "エリア地図", "Area map"), Term("local", "ローカルタイル", "Local tiles"),
    Term("gsi", "地理院地図（オンライン）", "GSI map (online)"), Term("osm", "OpenStreetMap（オンライン）", "OpenStreetMap (online)"),
    Term("shelter", "避難所", "Shelters"), Term("damage", "被害", "Damage"), Term("muster", "参集", "Muster"),
    Term("intensity", "震度", "Intensity"), Term("posts", "投稿", "Posts"), Term("bounds", "区境界", "Ward boundaries"),
    Term("wards", "区名", "Ward names"), Term("towns", "町名（ズーム15以上）", "Town names (zoom 15+)"),
)}
#: The base maps of the layer control, in its order.
BASE_NAMES = {key: WORDS[key].ja for key in ("area", "local", "gsi", "osm")}
OVERLAYS = {key: WORDS[key].ja for key in ("shelter", "damage", "muster", "intensity")}
#: Town names are drawn from this zoom on (street level).
TOWN_ZOOM = 15
#: Selecting an item zooms to street level, never closer.
SELECT_ZOOM = 16
#: The local tiles' URL in the page (served by ui.map.tile_scheme).
LOCAL_URL = "ddtiles://local/{z}/{x}/{y}"


def _script() -> str:
    return resources.files("disaster_desk.ui.map").joinpath("dd_map.js").read_text(encoding="utf-8")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


#: Short forms of the usual attributions for the map's corner, by a word of the full line (which stays in
#: manifest.json, the README, the About box and the attribution's tooltip).
SHORT = {"国土数値情報": "出典：国土数値情報（行政区域）を加工して作成",
         "Geolonia": "町丁目：Geolonia 住所データ (CC BY 4.0)"}


def _short(lines: list[str]) -> str:
    """The attribution HTML: each line, or its short form, with the full lines as the tooltip."""
    if not lines:
        return ""
    shown = [next((short for word, short in SHORT.items() if word in line), line) for line in lines]
    full = _escape(" / ".join(lines)).replace("'", "&#39;")
    return f"<span title='{full}'>{_escape(' | '.join(shown))}</span>"


def area_layers(area: str = DEFAULT_AREA, user_dir: str | Path | None = None) -> dict[str, Any]:
    """The vector base map of an area pack: ward polygons, the sea, ward label points, towns, attributions."""
    pack = load_pack(area)
    wards = pack.wards_geojson(Path(user_dir) if user_dir else None)
    sea = json.loads(pack.path("sea").read_text(encoding="utf-8")) if "sea" in pack.files else None
    features = [{"type": "Feature", "properties": {"ward": f["properties"]["ward"]}, "geometry": f["geometry"]}
                for f in wards["features"]]
    # Names at the point the ward's markers (muster, intensity, count badge) use, so they stack there.
    names = {f["properties"]["ward"]: list(WARD_CENTROIDS.get(f["properties"]["ward"], f["properties"]["centroid"]))
             for f in wards["features"]}
    towns = []
    if "towns" in pack.files:
        with pack.path("towns").open(encoding="utf-8", newline="") as file:
            for row in csv.DictReader(file):
                towns.append([row["town"] + (row.get("koaza") or ""), round(float(row["lat"]), 5),
                              round(float(row["lng"]), 5)])
    return {
        "wards": {"type": "FeatureCollection", "features": features}, "sea": sea, "wardNames": names,
        "towns": towns,
        "areaAttribution": _short(pack.attributions(("wards",))),
        "townAttribution": _short(pack.attributions(("towns",))),
    }


def _word(key: str, language: str) -> str:
    return WORDS[key].en if language == "en" else WORDS[key].ja


def base_layers(settings: MapSettings, local: TileInfo | None, language: str = "ja") -> list[dict[str, Any]]:
    """The layer control's base maps (the local tiles only when there are some)."""
    bases: list[dict[str, Any]] = [{"id": "area", "name": _word("area", language)}]
    if local is not None:
        attribution = (_escape(local.attribution) if local.attribution
                       else f"{_word('local', language)}（{_escape(local.name)}）")
        bases.append({"id": "local", "name": _word("local", language), "url": LOCAL_URL, "attribution": attribution,
                      "minNativeZoom": local.min_zoom, "maxNativeZoom": local.max_zoom})
    for key, (url, attribution, max_zoom) in TILES.items():
        bases.append({"id": key, "name": _word(key, language), "url": url, "attribution": attribution,
                      "maxNativeZoom": max_zoom})
    return bases


def build_page(settings: MapSettings, *, bridge_js: str = "", area: str = DEFAULT_AREA,
               user_dir: str | Path | None = None, local: TileInfo | None = None,
               focus_ward: str | None = None, language: str = "ja") -> str:
    """The whole HTML page; ``bridge_js`` is Qt's qwebchannel.js (inlined by the view).

    ``local`` describes the local tiles when ``map.local_tiles`` names some (the view serves them);
    ``focus_ward`` (a ward station's own ward) opens the map on that ward, its boundary drawn bold;
    ``language`` is that of the layer control's words.
    """
    base = settings.base
    if base == "local" and local is None:
        base = "area"  # the view says why on its bar
    fmap = folium.Map(location=list(settings.center), zoom_start=settings.zoom, tiles=None,
                      prefer_canvas=True, control_scale=False, maxZoom=18, minZoom=9)
    cluster = plugins.MarkerCluster(name="投稿", control=False,
                                    options={"chunkedLoading": True, "showCoverageOnHover": False}).add_to(fmap)
    categories, names = {}, {}
    for label in LABELS:
        title = f"{_word('posts', language)}: {LABEL.label(label, language)}"
        sub = plugins.FeatureGroupSubGroup(cluster, name=title, show=label != "none",
                                           control=False)
        sub.add_to(fmap)
        categories[label] = sub.get_name()
        names[sub.get_name()] = title
    overlays = {}
    for layer in OVERLAYS:
        group = folium.FeatureGroup(name=layer, control=False).add_to(fmap)
        overlays[layer] = group.get_name()
        names[group.get_name()] = _word(layer, language)
    config = {
        "map": fmap.get_name(), "cluster": cluster.get_name(), "categories": categories, "overlays": overlays,
        "overlayNames": names, "base": base, "bases": base_layers(settings, local, language),
        "words": {key: _word(key, language) for key in ("bounds", "wards", "towns")},
        "townZoom": TOWN_ZOOM, "selectZoom": SELECT_ZOOM, "focusWard": focus_ward,
        **area_layers(area, user_dir),
    }
    root = fmap.get_root()
    root.header.add_child(Element(_STYLE), name="dd_style")
    root.header.add_child(Element(f"<script>{bridge_js}</script>"), name="dd_qwebchannel")
    data = json.dumps(config, ensure_ascii=False).replace("</", "<\\/")
    root.script.add_child(Element(f"var DD_CONFIG = {data};\n{_script()}"), name="dd_map")
    return root.render()


_STYLE = """<style>
.leaflet-container { background: #e4e2dc; }
.dd-name-icon { background: transparent; border: none; }
.dd-ward { display: inline-block; transform: translate(-50%, calc(-100% - 14px)); color: #263238; font-size: 13px;
  font-weight: bold; white-space: nowrap; text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff; }
.dd-town { display: inline-block; transform: translate(-50%, calc(-100% - 6px)); color: #546e7a; font-size: 11px;
  white-space: nowrap; text-shadow: 0 0 2px #fff, 0 0 2px #fff; }
.dd-popup { min-width: 220px; }
.dd-popup th { text-align: left; padding-right: 6px; color: #555; font-weight: normal; vertical-align: top;
  white-space: nowrap; }
.dd-popup td { white-space: pre-wrap; max-width: 320px; min-width: 8em; overflow-wrap: anywhere; }
.leaflet-tooltip.dd-label { background: transparent; border: none; box-shadow: none; padding: 0 2px; font-weight: bold; }
.leaflet-tooltip.dd-label-side { text-shadow: 0 0 2px #fff, 0 0 2px #fff; }
.leaflet-tooltip.dd-label-side::before { display: none; }
.leaflet-control-attribution { font-size: 10px; }
.dd-count-icon { background: transparent; border: none; }
.dd-count { display: inline-block; transform: translate(-50%, 8px); padding: 0 5px; border-radius: 9px;
  background: rgba(55, 71, 79, 0.85); color: #fff; font-size: 11px; line-height: 17px; white-space: nowrap; }
.dd-count-town { background: rgba(96, 125, 139, 0.85); transform: translate(-50%, -50%); font-size: 10px; }
</style>"""
