"""The shelter registry: the GSI 指定避難所 / 指定緊急避難場所 CSV, seeded from the area pack.

The GSI files (国土地理院「指定緊急避難場所・指定避難所データ」) have a
Japanese header (NO, 共通ID, 施設・場所名, 住所, …, 緯度, 経度, 備考). A new
database is seeded with the pack's designated shelters (migration 0016 calls
:func:`seed_from_pack`); ``disaster-desk shelters import --format gsi FILE``
and the GUI's 避難所台帳取込 update it with :func:`import_gsi_csv`, upserting on
共通ID so a newer download replaces the older one.

Every problem names its line and the good rows around it are stored:

- the file is decoded line by line (UTF-8 with or without BOM, or cp932 —
  whichever decodes more lines); a line with a bad byte is refused naming the
  byte, the other lines are imported;
- a 共通ID seen twice in one file keeps the first row; the second is reported
  with both line numbers;
- a row whose position is outside the area (the pack's ward boundaries, with a
  tolerance for the simplified edge) is refused; a row inside the area whose
  address names no ward gets the ward of its position.
"""

from __future__ import annotations

import csv
import io
import logging
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from disaster_desk.core.area import OSAKA_WARDS
from disaster_desk.core.db import Database
from disaster_desk.core.models import Shelter
from disaster_desk.core.progress import Progress, counted
from disaster_desk.core.text import clean_text

log = logging.getLogger(__name__)

_WARD_RE = re.compile(r"大阪市(" + "|".join(OSAKA_WARDS) + ")")
#: Hazard columns of the 指定緊急避難場所 file and their ids.
HAZARDS = {
    "洪水": "flood", "崖崩れ、土石流及び地滑り": "landslide", "高潮": "storm_surge", "地震": "earthquake",
    "津波": "tsunami", "大規模な火事": "large_fire", "内水氾濫": "inland_flood", "火山現象": "volcano",
}
REQUIRED = ("共通ID", "施設・場所名", "緯度", "経度")
#: A position this close to a ward boundary still counts as inside the area: the pack's
#: boundaries are simplified and GSI points of buildings on the city line fall just outside.
AREA_TOLERANCE_M = 500.0


@dataclass
class RegistryProblem:
    """One refused or doubtful row, in English (CLI, log) and Japanese (GUI)."""

    line: int
    column: str | None
    message: str
    message_ja: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column '{self.column}'" if self.column else "")
        return f"{where}: {self.message}"

    def ja(self) -> str:
        where = f"{self.line}行目" + (f"（{self.column}）" if self.column else "")
        return f"{where}: {self.message_ja}"


@dataclass
class RegistryImport:
    inserted: int = 0
    updated: int = 0
    without_ward: list[int] = field(default_factory=list)  # lines
    errors: list[RegistryProblem] = field(default_factory=list)
    #: ``(line, first line, 共通ID)`` of rows whose id an earlier row of the file already had.
    duplicates: list[tuple[int, int, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.inserted} new, {self.updated} updated, {len(self.duplicates)} duplicate ids, "
                f"{len(self.errors)} refused")

    def summary_ja(self) -> str:
        return (f"新規 {self.inserted}件、更新 {self.updated}件、重複ID {len(self.duplicates)}件、"
                f"取り込めなかった行 {len(self.errors)}件")

    def problems(self) -> list[RegistryProblem]:
        """Refused rows and duplicate ids, in line order."""
        dups = [RegistryProblem(line, "共通ID", f"duplicate id {cid} (first on line {first}, kept)",
                                f"共通ID {cid} が重複（{first}行目を採用）") for line, first, cid in self.duplicates]
        return sorted(self.errors + dups, key=lambda p: p.line)


@dataclass
class ParsedRegistry:
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    result: RegistryImport = field(default_factory=RegistryImport)


def ward_from_address(address: str | None) -> str | None:
    """``大阪府大阪市北区…`` → ``北区``; None when the address names no Osaka City ward."""
    if not address:
        return None
    match = _WARD_RE.search(address)
    return match.group(1) if match else None


# --- decoding -------------------------------------------------------------------------------------

def decode_lines(data: bytes) -> tuple[list[str | None], str]:
    """Physical lines of ``data`` as text (None for a line that does not decode) and the encoding.

    UTF-8 (BOM optional) or cp932, whichever decodes more lines (UTF-8 on a tie).
    Both keep ``\\n`` a single byte, so lines can be split before decoding.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    raw = data.split(b"\n")
    if raw and raw[-1] == b"":
        raw.pop()

    def decode(line: bytes, encoding: str) -> str | None:
        try:
            return line.decode(encoding).rstrip("\r")
        except UnicodeDecodeError:
            return None

    utf8 = [decode(line, "utf-8") for line in raw]
    bad_utf8 = sum(line is None for line in utf8)
    if bad_utf8 == 0:
        return list(utf8), "utf-8"
    sjis = [decode(line, "cp932") for line in raw]
    if sum(line is None for line in sjis) < bad_utf8:
        return list(sjis), "cp932"
    return list(utf8), "utf-8"


def bad_byte(line: bytes, encoding: str) -> str:
    """Where ``line`` stops decoding: ``0x81 at byte 2``."""
    try:
        line.decode(encoding)
    except UnicodeDecodeError as exc:
        return f"0x{line[exc.start]:02X} at byte {exc.start + 1}"
    return "?"


# --- the area -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Area:
    wards: tuple[tuple[str, tuple[tuple[tuple[float, float], ...], ...]], ...]  # (ward, rings)

    def ward_at(self, lat: float, lon: float) -> str | None:
        """The ward whose polygon holds the point, else the nearest within the tolerance, else None."""
        from disaster_desk.core.boundaries import contains

        for name, rings in self.wards:
            if contains([[list(r) for r in rings]], lat, lon):
                return name
        best, ward = AREA_TOLERANCE_M, None
        for name, rings in self.wards:
            d = min(_distance_m(lat, lon, ring) for ring in rings)
            if d <= best:
                best, ward = d, name
        return ward


def _distance_m(lat: float, lon: float, ring: tuple[tuple[float, float], ...]) -> float:
    """Metres from the point to the ring's nearest edge (equirectangular; fine at city scale)."""
    kx, ky = 111_320.0 * math.cos(math.radians(lat)), 110_574.0
    px, py = lon * kx, lat * ky
    best = math.inf
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        ax, ay, bx, by = x1 * kx, y1 * ky, x2 * kx, y2 * ky
        dx, dy = bx - ax, by - ay
        t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
        best = min(best, math.hypot(px - ax - t * dx, py - ay - t * dy))
    return best


@lru_cache(maxsize=2)
def _pack_area(user_dir: str | None = None) -> _Area:
    from disaster_desk.core.area_pack import load_pack

    doc = load_pack().wards_geojson(Path(user_dir) if user_dir else None)
    wards = []
    for feature in doc["features"]:
        geom = feature["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        rings = tuple(tuple((float(x), float(y)) for x, y, *_ in ring) for poly in polys for ring in poly)
        wards.append((feature["properties"]["ward"], rings))
    return _Area(tuple(wards))


# --- parsing --------------------------------------------------------------------------------------

def read_gsi(data: bytes, name: str = "file", area: _Area | None = None,
             progress: Progress | None = None) -> ParsedRegistry:
    """Parse one GSI CSV file (either kind) into rows keyed by 共通ID, with every problem by line."""
    area = area or _pack_area()
    out = ParsedRegistry()
    result = out.result
    texts, encoding = decode_lines(data)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    raw = data.split(b"\n")
    for i, text in enumerate(texts):
        if text is None:
            result.errors.append(RegistryProblem(
                i + 1, None, f"not {encoding} text (byte {bad_byte(raw[i], encoding)}); line skipped",
                f"文字コードが読めません（{encoding}、{bad_byte(raw[i], encoding)}）。この行は取り込みません"))
    # A line that does not decode becomes an empty line: csv skips it and line numbers stay right.
    reader = csv.DictReader(io.StringIO("\n".join(t or "" for t in texts) + "\n", newline=""))
    fieldnames = reader.fieldnames or []
    missing = [column for column in REQUIRED if column not in fieldnames]
    if missing:
        result.errors = [RegistryProblem(
            1, missing[0], f"{name}: required column is missing (not a GSI shelter CSV)",
            f"{name}: 必須の列「{missing[0]}」がありません（国土地理院の避難所CSVではありません）")]
        return out
    emergency = "地震" in fieldnames
    first_line: dict[str, int] = {}
    line = reader.line_num + 1
    for row in counted(reader, progress, total=max(0, len(texts) - 2)):
        start, line = line, reader.line_num + 1
        while start < line and not (texts[start - 1] or "").strip():
            start += 1  # csv skipped blank/undecodable lines before this row
        try:
            parsed = _parse(row, emergency)
        except _RowError as exc:
            result.errors.append(RegistryProblem(start, exc.column, exc.message, exc.message_ja))
            continue
        common_id = parsed["common_id"]
        if common_id in first_line:
            result.duplicates.append((start, first_line[common_id], common_id))
            log.info("%s line %d: duplicate 共通ID %s (first on line %d, kept)", name, start, common_id,
                     first_line[common_id])
            continue
        position_ward = area.ward_at(parsed["lat"], parsed["lon"])
        if position_ward is None:
            result.errors.append(RegistryProblem(
                start, "緯度", f"position {parsed['lat']:.5f},{parsed['lon']:.5f} is outside the area; row refused",
                f"位置（{parsed['lat']:.5f}, {parsed['lon']:.5f}）が市域の外です。取り込みません"))
            continue
        if parsed["ward"] is None:
            parsed["ward"] = position_ward
            result.without_ward.append(start)
            log.info("%s line %d: no ward in address %r; %s from its position", name, start, parsed["address"],
                     position_ward)
        first_line[common_id] = start
        out.rows[common_id] = parsed
    return out


class _RowError(Exception):
    def __init__(self, column: str, message: str, message_ja: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message
        self.message_ja = message_ja


def _parse(row: dict[str, str | None], emergency: bool) -> dict[str, Any]:
    def cell(name: str) -> str:
        value = row.get(name)
        return clean_text(value if isinstance(value, str) else "").strip()

    common_id = cell("共通ID")
    if not common_id:
        raise _RowError("共通ID", "missing id", "共通IDがありません")
    if len(common_id) > 32:
        raise _RowError("共通ID", f"id longer than 32 characters: {common_id[:40]!r}", "共通IDが長すぎます（32文字まで）")
    name = " ".join(cell("施設・場所名").split())
    if not name:
        raise _RowError("施設・場所名", "missing name", "施設・場所名がありません")
    coords = []
    for column, low, high in (("緯度", -90, 90), ("経度", -180, 180)):
        try:
            value = float(cell(column))
        except ValueError:
            raise _RowError(column, f"not a number: {cell(column)!r}", f"数値ではありません（{cell(column)}）") from None
        if not low <= value <= high:
            raise _RowError(column, f"out of range: {value}", f"範囲外の値です（{value}）")
        coords.append(value)
    address = cell("住所") or None
    if emergency:
        kinds = ["emergency_site", *[hid for col, hid in HAZARDS.items() if cell(col) == "1"]]
    else:
        kinds = ["shelter"] + (["welfare"] if "要配慮者" in cell("受入対象者") else [])
    return {
        "common_id": common_id, "name": name[:200], "address": address, "ward": ward_from_address(address),
        "lat": coords[0], "lon": coords[1], "kinds": kinds,
    }


# --- storing --------------------------------------------------------------------------------------

def import_gsi_csv(db: Database, path: str | Path, progress: Progress | None = None) -> RegistryImport:
    """Upsert the shelters of one GSI CSV file (either of the two kinds); problems by line.

    ``progress(done, total)`` counts the file's rows as they are read (core.progress);
    it may raise to stop: the registry is written in one transaction after the
    last call, so a stopped import changes nothing.
    """
    file = Path(path)
    parsed = read_gsi(file.read_bytes(), file.name, progress=progress)
    result = parsed.result
    rows = parsed.rows
    with db.session() as session:
        existing = {s.common_id: s for s in session.scalars(select(Shelter).where(Shelter.common_id.in_(list(rows))))}
        for common_id, values in rows.items():
            shelter = existing.get(common_id)
            if shelter is None:
                session.add(Shelter(**values))
                result.inserted += 1
            else:
                for key, value in values.items():
                    setattr(shelter, key, value)
                result.updated += 1
    log.info("shelter registry %s: %s", file.name, result.summary())
    return result


@lru_cache(maxsize=1)
def pack_rows(roles: tuple[str, ...] = ("shelters",)) -> tuple[dict[str, Any], ...]:
    """The area pack's registry rows (parsed once per process)."""
    from disaster_desk.core.area_pack import load_pack

    pack = load_pack()
    rows: dict[str, dict[str, Any]] = {}
    for role in roles:
        parsed = read_gsi(pack.path(role).read_bytes(), pack.path(role).name)
        for cid, values in parsed.rows.items():
            rows.setdefault(cid, values)
    return tuple(rows.values())


def seed_from_pack(connection: Any, roles: Iterable[str] = ("shelters",)) -> int:
    """Insert the pack's designated shelters that the database does not hold yet (by 共通ID).

    Idempotent: a second call inserts nothing and never overwrites an imported row.
    Runs on a Core connection (the migration's), on SQLite and PostgreSQL.
    """
    table = Shelter.__table__
    have = set(connection.execute(select(table.c.common_id)).scalars())
    new = [dict(row) for row in pack_rows(tuple(roles)) if row["common_id"] not in have]
    if new:
        connection.execute(insert(table), new)
    log.info("shelter registry seeded from the area pack: %d new", len(new))
    return len(new)


def registry_index(shelters: Iterable[Shelter]) -> dict[tuple[str | None, str], Shelter]:
    """``{(ward, name): shelter}`` for matching reports to the registry, also ``(None, name)``.

    A GSI name that lists several facilities (``中大江小学校、中大江幼稚園``) is found
    by each of them; the first shelter (by id) wins a shared name.
    """
    index: dict[tuple[str | None, str], Shelter] = {}
    for shelter in sorted(shelters, key=lambda s: s.id or 0):
        names = [shelter.name, *(part.strip() for part in shelter.name.split("、") if part.strip())]
        for name in names:
            index.setdefault((shelter.ward, name), shelter)
            index.setdefault((None, name), shelter)
    return index


def lookup(index: dict[tuple[str | None, str], Shelter], name: str | None, ward: str | None) -> Shelter | None:
    """The registry entry a report names: same ward first, then the name alone."""
    if not name:
        return None
    return index.get((ward, name)) or index.get((None, name))


def find_shelter(db: Database, name: str, ward: str | None) -> Shelter | None:
    """The registry entry a shelter report names (same name, same ward when given)."""
    with db.session() as session:
        query = select(Shelter).where(Shelter.name == name)
        if ward:
            query = query.where(Shelter.ward == ward)
        return session.scalars(query.order_by(Shelter.id)).first()


def shelter_names(db: Database, ward: str | None) -> list[str]:
    """The registry's shelter names of ``ward`` in name order (the ward form's choices); [] without a ward.

    One query for every shelter field of the form: the ward form reads it once,
    on a worker, since the shared database may be unreachable at a ward station.
    """
    if not ward:
        return []
    with db.session() as session:
        return list(session.scalars(select(Shelter.name).where(Shelter.ward == ward).order_by(Shelter.name)))
