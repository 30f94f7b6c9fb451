"""The map page HTML (no Qt needed): offline assets, configurable base layer."""

from __future__ import annotations

import re

import pytest

from disaster_desk.core.settings import MapSettings
from disaster_desk.ui.map.page import build_page

LOADS = re.compile(r"""(?:<script[^>]*\bsrc|<link[^>]*\bhref|@import\s+url)\s*=?\s*["'(]?\s*(https?:)?//""", re.I)


@pytest.mark.parametrize("base", ["none", "gsi", "osm"])
def test_page_loads_no_script_or_stylesheet_from_the_network(base):
    html = build_page(MapSettings(base_layer=base))
    assert not LOADS.search(html)
    assert "L.markerClusterGroup" in html and "ddHighlight" in html


def test_base_layers():
    assert "cyberjapandata.gsi.go.jp" in build_page(MapSettings(base_layer="gsi"))
    assert "tile.openstreetmap.org" in build_page(MapSettings(base_layer="osm"))
    none = build_page(MapSettings(base_layer="none"))
    assert "openstreetmap" not in none and "cyberjapandata" not in none and '"wardLabels": true' in none


def test_local_tile_folder_is_a_file_url(tmp_path):
    html = build_page(MapSettings(base_layer="local", tile_dir=str(tmp_path)))
    assert f"{tmp_path.as_uri()}/{{z}}/{{x}}/{{y}}.png" in html
