"""The map page: a folium (offlinefolium) map with every asset inline.

offlinefolium embeds Leaflet, MarkerCluster and the other plugins' JS/CSS in
the page from the installed package, so the page needs no internet (and never
asks a CDN). Markers are not in the HTML: the view adds them afterwards with
the small API in ``dd_map.js`` (``ddSet``/``ddAdd``/``ddUpdate``/
``ddHighlight``), so new items never reload the page.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import offlinefolium as folium
from branca.element import Element
from offlinefolium import plugins

from disaster_desk.core.map_items import WARD_CENTROIDS
from disaster_desk.core.settings import MapSettings
from disaster_desk.core.taxonomy import LABEL_JA, LABELS

TILES = {
    "gsi": ("https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png",
            "<a href='https://maps.gsi.go.jp/development/ichiran.html'>国土地理院</a>"),
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "&copy; <a href='https://www.openstreetmap.org/copyright'>OpenStreetMap</a> contributors"),
}
OVERLAYS = {"shelter": "避難所", "damage": "被害", "muster": "参集", "intensity": "震度"}


def _script() -> str:
    return resources.files("disaster_desk.ui.map").joinpath("dd_map.js").read_text(encoding="utf-8")


def build_page(settings: MapSettings, *, bridge_js: str = "") -> str:
    """The whole HTML page; ``bridge_js`` is Qt's qwebchannel.js (inlined by the view)."""
    tiles = None
    attr = None
    if settings.base_layer in TILES:
        tiles, attr = TILES[settings.base_layer]
    elif settings.base_layer == "local" and settings.tile_dir:
        tiles, attr = Path(settings.tile_dir).resolve().as_uri() + "/{z}/{x}/{y}.png", "local tiles"
    fmap = folium.Map(location=list(settings.center), zoom_start=settings.zoom, tiles=tiles, attr=attr,
                      prefer_canvas=True, control_scale=True, maxZoom=18, minZoom=9)
    cluster = plugins.MarkerCluster(name="投稿", control=False,
                                    options={"chunkedLoading": True, "showCoverageOnHover": False}).add_to(fmap)
    categories = {}
    for label in LABELS:
        sub = plugins.FeatureGroupSubGroup(cluster, name=f"投稿: {LABEL_JA[label]}", show=label != "none")
        sub.add_to(fmap)
        categories[label] = sub.get_name()
    overlays = {}
    for layer, title in OVERLAYS.items():
        group = folium.FeatureGroup(name=title).add_to(fmap)
        overlays[layer] = group.get_name()
    folium.LayerControl(collapsed=True).add_to(fmap)
    config = {
        "map": fmap.get_name(), "cluster": cluster.get_name(), "categories": categories, "overlays": overlays,
        "wardLabels": settings.base_layer == "none",
        "wards": {ward: list(point) for ward, point in WARD_CENTROIDS.items()},
    }
    root = fmap.get_root()
    root.header.add_child(Element(_STYLE), name="dd_style")
    root.header.add_child(Element(f"<script>{bridge_js}</script>"), name="dd_qwebchannel")
    root.script.add_child(Element(f"var DD_CONFIG = {json.dumps(config, ensure_ascii=False)};\n{_script()}"),
                          name="dd_map")
    return root.render()


_STYLE = """<style>
.leaflet-container { background: #eef2f5; }
.dd-popup { min-width: 220px; }
.dd-popup th { text-align: left; padding-right: 6px; color: #555; font-weight: normal; vertical-align: top;
  white-space: nowrap; }
.dd-popup td { white-space: pre-wrap; max-width: 320px; min-width: 8em; overflow-wrap: anywhere; }
.dd-label { background: transparent; border: none; box-shadow: none; font-weight: bold; }
.dd-count-icon { background: transparent; border: none; }
.dd-count { display: inline-block; transform: translate(-50%, 8px); padding: 0 5px; border-radius: 9px;
  background: rgba(55, 71, 79, 0.85); color: #fff; font-size: 11px; line-height: 17px; white-space: nowrap; }
.dd-count-town { background: rgba(96, 125, 139, 0.85); transform: translate(-50%, -50%); font-size: 10px; }
.dd-ward { background: transparent; border: none; box-shadow: none; color: #607d8b; font-size: 12px; }
</style>"""
