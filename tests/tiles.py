"""Small generated map tiles for the local base map tests: PNGs written with zlib/struct, an .mbtiles
(SQLite, TMS rows) or an XYZ folder holding them."""

from __future__ import annotations

import math
import sqlite3
import struct
import zlib
from pathlib import Path


def png(rgb: tuple[int, int, int], size: int = 256) -> bytes:
    """A plain-colour RGB PNG of ``size`` × ``size``."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * size
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * size, 9)) + chunk(b"IEND", b""))


def tile_of(lat: float, lon: float, z: int) -> tuple[int, int]:
    """The XYZ tile (x, y from the top) holding a point."""
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def tiles_around(lat: float, lon: float, z: int, radius: int = 2) -> dict[tuple[int, int, int], bytes]:
    """``(z, x, y) -> PNG`` for the (2·radius+1)² tiles around a point, each its own colour."""
    cx, cy = tile_of(lat, lon, z)
    return {(z, x, y): png(((x * 37) % 256, (y * 53) % 256, 160))
            for x in range(cx - radius, cx + radius + 1) for y in range(cy - radius, cy + radius + 1)}


def write_mbtiles(path: Path, tiles: dict[tuple[int, int, int], bytes], *, attribution: str = "") -> Path:
    """An MBTiles 1.3 file: rows in TMS order (counted from the bottom)."""
    db = sqlite3.connect(path)
    with db:
        db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
        zooms = [z for z, _x, _y in tiles]
        db.executemany("INSERT INTO metadata VALUES (?, ?)", [
            ("name", "テスト"), ("format", "png"), ("minzoom", str(min(zooms))), ("maxzoom", str(max(zooms))),
            ("attribution", attribution)])
        db.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)",
                       [(z, x, 2**z - 1 - y, data) for (z, x, y), data in tiles.items()])
    db.close()
    return path


def write_folder(root: Path, tiles: dict[tuple[int, int, int], bytes]) -> Path:
    for (z, x, y), data in tiles.items():
        (root / str(z) / str(x)).mkdir(parents=True, exist_ok=True)
        (root / str(z) / str(x) / f"{y}.png").write_bytes(data)
    return root
