"""Local tiles: an XYZ folder or an .mbtiles file (TMS rows), read by XYZ coordinates."""

from __future__ import annotations

import sqlite3

import pytest

from disaster_desk.core.tiles import TileStore
from disaster_desk.errors import UserError
from tests.tiles import png, tile_of, write_folder, write_mbtiles


def test_mbtiles_rows_are_flipped_from_tms(tmp_path):
    red, blue = png((255, 0, 0), 8), png((0, 0, 255), 8)
    # z=3: XYZ y=1 is TMS row 6; y=6 is row 1.
    store = TileStore(write_mbtiles(tmp_path / "t.mbtiles", {(3, 2, 1): red, (3, 2, 6): blue}, attribution="© 試験"))
    assert store.get(3, 2, 1) == (red, "image/png")
    assert store.get(3, 2, 6) == (blue, "image/png")
    assert store.get(3, 2, 2) is None and store.get(3, 9, 1) is None and store.get(3, 2, -1) is None
    assert (store.info.kind, store.info.min_zoom, store.info.max_zoom, store.info.attribution) == (
        "mbtiles", 3, 3, "© 試験")
    store.close()


def test_folder_tiles_by_extension(tmp_path):
    x, y = tile_of(34.6937, 135.5023, 12)
    write_folder(tmp_path / "tiles", {(12, x, y): png((1, 2, 3), 8), (14, 0, 0): png((1, 2, 3), 8)})
    (tmp_path / "tiles" / "13" / "5").mkdir(parents=True)
    (tmp_path / "tiles" / "13" / "5" / "7.jpg").write_bytes(b"\xff\xd8jpeg")
    store = TileStore(tmp_path / "tiles")
    assert store.get(12, x, y)[1] == "image/png"
    assert store.get(13, 5, 7) == (b"\xff\xd8jpeg", "image/jpeg")
    assert store.get(12, x, y + 1) is None
    assert (store.info.kind, store.info.min_zoom, store.info.max_zoom) == ("folder", 12, 14)


def test_bad_local_tiles_name_the_setting_and_the_path(tmp_path):
    with pytest.raises(UserError, match=r"map.local_tiles: .*missing"):
        TileStore(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="no zoom folders"):
        TileStore(tmp_path / "empty")
    (tmp_path / "x.mbtiles").write_text("not sqlite", encoding="utf-8")
    with pytest.raises(UserError, match="not an .mbtiles"):
        TileStore(tmp_path / "x.mbtiles")
    db = sqlite3.connect(tmp_path / "e.mbtiles")
    db.executescript("CREATE TABLE metadata (name, value); CREATE TABLE tiles (zoom_level, tile_column, tile_row,"
                     " tile_data);")
    db.close()
    with pytest.raises(UserError, match="holds no tiles"):
        TileStore(tmp_path / "e.mbtiles")
