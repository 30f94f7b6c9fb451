"""Local map tiles for the offline base map (``map.base_layer: local``).

``map.local_tiles`` names either a folder of XYZ tiles (``{z}/{x}/{y}.png``,
``.jpg``, ``.jpeg`` or ``.webp``) or an ``.mbtiles`` file (SQLite, the MBTiles
1.3 layout: a ``tiles`` table in TMS order, so row = 2^z - 1 - y, and a
``metadata`` table). Qt-free: the map view serves the tiles to QtWebEngine
through its own URL scheme with :meth:`TileStore.get`.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from disaster_desk.errors import UserError

MIME = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}
_MAGIC = ((b"\x89PNG", "image/png"), (b"\xff\xd8", "image/jpeg"), (b"RIFF", "image/webp"))


@dataclass(frozen=True)
class TileInfo:
    kind: str  # "folder" or "mbtiles"
    path: Path
    min_zoom: int
    max_zoom: int
    attribution: str
    name: str


def _mime_of(data: bytes, default: str) -> str:
    for magic, mime in _MAGIC:
        if data.startswith(magic):
            return mime
    return default


class TileStore:
    """Reads tiles from a folder or an .mbtiles file; ``get`` returns ``(bytes, mime)`` or None."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        if self.path.is_dir():
            self.info = self._folder_info()
        elif self.path.is_file():
            self.info = self._mbtiles_info()
        else:
            raise UserError(f"map.local_tiles: {self.path} is neither a tile folder nor an .mbtiles file")

    def _folder_info(self) -> TileInfo:
        zooms = sorted(int(p.name) for p in self.path.iterdir() if p.is_dir() and p.name.isdigit())
        if not zooms:
            raise UserError(f"map.local_tiles: {self.path} has no zoom folders ({{z}}/{{x}}/{{y}}.png)")
        attribution = ""
        note = self.path / "attribution.txt"
        if note.is_file():
            attribution = note.read_text(encoding="utf-8").strip()
        return TileInfo("folder", self.path, zooms[0], zooms[-1], attribution, self.path.name)

    def _mbtiles_info(self) -> TileInfo:
        try:
            db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
            meta = dict(db.execute("SELECT name, value FROM metadata").fetchall())
            low, high = db.execute("SELECT min(zoom_level), max(zoom_level) FROM tiles").fetchone()
        except sqlite3.DatabaseError as exc:
            raise UserError(f"map.local_tiles: {self.path} is not an .mbtiles file ({exc})") from None
        if low is None:
            db.close()
            raise UserError(f"map.local_tiles: {self.path} holds no tiles")
        self._db = db
        self._format = MIME.get(str(meta.get("format", "png")).lower(), "image/png")

        def zoom(key: str, found: int) -> int:
            try:
                return int(meta[key])
            except (KeyError, ValueError):
                return found

        return TileInfo("mbtiles", self.path, zoom("minzoom", low), zoom("maxzoom", high),
                        str(meta.get("attribution", "")).strip(), str(meta.get("name", self.path.stem)))

    def get(self, z: int, x: int, y: int) -> tuple[bytes, str] | None:
        """The tile at XYZ ``z/x/y`` (y from the top, as Leaflet asks), or None when there is none."""
        if z < 0 or not (0 <= x < 2**z and 0 <= y < 2**z):
            return None
        if self._db is None:
            for ext, mime in MIME.items():
                file = self.path / str(z) / str(x) / f"{y}.{ext}"
                if file.is_file():
                    return file.read_bytes(), mime
            return None
        with self._lock:
            row = self._db.execute(
                "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                (z, x, 2**z - 1 - y),  # MBTiles rows are TMS: counted from the bottom
            ).fetchone()
        if row is None:
            return None
        data = bytes(row[0])
        return data, _mime_of(data, self._format)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
