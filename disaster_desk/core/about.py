"""What the About box (ヘルプ → このアプリについて) says: the version, the data and their licences.

Read from the area pack's ``manifest.json`` (each file's source, licence,
version and attribution; ``SOURCE.md`` beside it has the details) and the base
map tiles the map can show. Plain text: the GUI escapes it when it renders.
"""

from __future__ import annotations

from dataclasses import dataclass

from disaster_desk import __version__
from disaster_desk.core.area_pack import DEFAULT_AREA, load_pack


@dataclass(frozen=True)
class DataSource:
    """One source of data the desk shows: what it is, where it comes from, under which licence."""

    name: str
    source: str
    licence: str
    version: str
    attribution: str
    url: str = ""


#: The base-map tiles (settings ``map.base_layer``): drawn from the network only when chosen.
TILE_SOURCES: tuple[DataSource, ...] = (
    DataSource("地図タイル (gsi)", "国土地理院 地理院タイル（標準地図）", "国土地理院コンテンツ利用規約 (CC BY 4.0 互換)",
               "", "出典：国土地理院", "https://maps.gsi.go.jp/development/ichiran.html"),
    DataSource("地図タイル (osm)", "OpenStreetMap", "ODbL 1.0 (データ) / CC BY-SA 2.0 (タイル)", "",
               "© OpenStreetMap contributors", "https://www.openstreetmap.org/copyright"),
)

#: Names shown for the manifest's file roles.
ROLE_NAMES = {
    "wards": "区の境界・区コード",
    "towns": "町丁目と代表点",
    "shelters": "指定避難所",
    "evacuation_sites": "指定緊急避難場所",
    "gsi_notice": "国土地理院 ご利用上の注意",
    "sea": "大阪湾（背景地図）",
    "stations": "駅",
    "landmarks": "ランドマーク",
}

#: The main libraries shipped with the app and their licences.
SOFTWARE: tuple[tuple[str, str], ...] = (
    ("Qt / PySide6", "LGPL-3.0"),
    ("Leaflet / folium", "BSD-2-Clause / MIT"),
    ("SQLAlchemy / Alembic", "MIT"),
    ("spaCy / GiNZA", "MIT"),
    ("Sudachi / SudachiDict", "Apache-2.0"),
)


@dataclass(frozen=True)
class About:
    version: str
    area_name: str
    area_version: str
    data: tuple[DataSource, ...]
    tiles: tuple[DataSource, ...]
    software: tuple[tuple[str, str], ...]
    licence: str = "MIT"


def about(area: str = DEFAULT_AREA) -> About:
    """The About box's content (reads the area pack's manifest)."""
    pack = load_pack(area)
    data = tuple(
        DataSource(ROLE_NAMES.get(role, role), f.source, f.licence, f.version, f.attribution)
        for role, f in pack.files.items()
    )
    return About(__version__, pack.name, pack.version, data, TILE_SOURCES, SOFTWARE)
