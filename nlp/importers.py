"""Importers for public gazetteer data into the user's gazetteer dir.

- ``geolonia``: Geolonia japanese-addresses town JSON (``大阪市北区.json``: ``[{town, koaza, lat, lng}]``),
  a folder of them, or the same data as CSV (``ward,town,koaza,lat,lng``).
- ``mlit``: 国土交通省 位置参照情報 大字・町丁目レベル CSV (Shift_JIS or UTF-8).
- ``gsi-shelters``: 国土地理院 指定避難所 / 指定緊急避難場所 CSV (a file or a folder of them).

Each importer keeps the rows inside the configured area (Osaka City's wards),
reports bad rows with their line (or index) and keeps the good ones, and writes
one gazetteer CSV (see :mod:`nlp.gazetteer`) whose header cites the source.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from disaster_desk.core.area import OSAKA_WARDS
from disaster_desk.errors import UserError
from nlp.gazetteer import Place, write_csv

log = logging.getLogger(__name__)

FORMATS = ("geolonia", "mlit", "gsi-shelters")
CITY = "大阪市"
#: Generous bounding box of Osaka City; coordinates outside are refused.
BBOX = (34.54, 34.80, 135.35, 135.65)
_WARD_IN_ADDRESS = re.compile(CITY + r"(" + "|".join(sorted(OSAKA_WARDS, key=len, reverse=True)) + ")")
_PAREN = re.compile(r"[（(][^）)]*[）)]")


@dataclass
class ImportResult:
    fmt: str
    output: Path | None = None
    imported: int = 0
    skipped: int = 0
    outside: int = 0
    problems: list[str] = field(default_factory=list)

    def skip(self, where: str, why: str) -> None:
        self.skipped += 1
        self.problems.append(f"{where}: {why}")
        log.warning("%s: %s", where, why)

    def summary(self) -> str:
        return (
            f"{self.fmt}: {self.imported} imported, {self.outside} outside the area, "
            f"{self.skipped} skipped -> {self.output}"
        )


def _coords(lat: object, lon: object) -> tuple[float, float]:
    try:
        la, lo = float(lat), float(lon)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"coordinates not numbers: {lat!r}, {lon!r}") from None
    if not (BBOX[0] <= la <= BBOX[1] and BBOX[2] <= lo <= BBOX[3]):
        raise ValueError(f"coordinates outside Osaka City: {la}, {lo}")
    return la, lo


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "cp932"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise UserError(f"{path}: neither UTF-8 nor Shift_JIS")


def _files(path: Path, pattern: str) -> list[Path]:
    if path.is_dir():
        files = sorted(path.glob(pattern))
        if not files:
            raise UserError(f"{path}: no {pattern} files")
        return files
    if not path.exists():
        raise UserError(f"{path}: no such file or folder")
    return [path]


def import_geolonia(path: Path, out_dir: Path) -> ImportResult:
    result = ImportResult("geolonia")
    places = read_geolonia(path, result)
    result.output = out_dir / "towns-geolonia.csv"
    result.imported = write_csv(
        result.output, places,
        ["Towns (町丁目) of Osaka City imported from Geolonia japanese-addresses (CC BY 4.0),",
         "出典: Geolonia 住所データ / 国土交通省 位置参照情報. https://github.com/geolonia/japanese-addresses"],
    )
    return result


def read_geolonia(path: Path, result: ImportResult) -> list[Place]:
    """The towns of Geolonia JSON files or their CSV form; bad entries are counted in ``result``."""
    places: list[Place] = []
    for file in _files(path, "*.json"):
        if file.suffix.lower() == ".csv":
            rows = list(csv.DictReader(io.StringIO(_read_text(file))))
            entries = [(f"{file.name} line {i + 2}", r.get("ward", ""), r) for i, r in enumerate(rows)]
        else:
            ward = file.stem.removeprefix(CITY)
            if not file.stem.startswith(CITY):
                result.outside += 1
                log.info("%s: not a ward of %s, skipped", file.name, CITY)
                continue
            try:
                data = json.loads(_read_text(file))
            except json.JSONDecodeError as exc:
                result.skip(file.name, f"not valid JSON (line {exc.lineno}): {exc.msg}")
                continue
            if not isinstance(data, list):
                result.skip(file.name, "expected a JSON array of towns")
                continue
            entries = [(f"{file.name} entry {i}", ward, r) for i, r in enumerate(data)]
        for where, ward, row in entries:
            if ward not in OSAKA_WARDS:
                result.outside += 1
                continue
            if not isinstance(row, dict) or not str(row.get("town") or "").strip():
                result.skip(where, "field 'town' missing")
                continue
            try:
                lat, lon = _coords(row.get("lat"), row.get("lng"))
            except ValueError as exc:
                result.skip(where, f"field 'lat'/'lng': {exc}")
                continue
            name = str(row["town"]).strip() + str(row.get("koaza") or "").strip()
            places.append(Place("town", name, ward, lat, lon, "geolonia"))
    return places


#: Column names of MLIT 位置参照情報 大字・町丁目レベル.
MLIT_COLUMNS = ("都道府県名", "市区町村名", "大字町丁目名", "緯度", "経度")


def import_mlit(path: Path, out_dir: Path) -> ImportResult:
    result = ImportResult("mlit")
    places: list[Place] = []
    for file in _files(path, "*.csv"):
        reader = csv.DictReader(io.StringIO(_read_text(file)))
        missing = [c for c in MLIT_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise UserError(f"{file}: not an MLIT 大字・町丁目 CSV (missing columns {', '.join(missing)})")
        for i, row in enumerate(reader, 2):
            where = f"{file.name} line {i}"
            city = (row.get("市区町村名") or "").strip()
            ward = city.removeprefix(CITY)
            if not city.startswith(CITY) or ward not in OSAKA_WARDS:
                result.outside += 1
                continue
            name = (row.get("大字町丁目名") or "").strip()
            if not name:
                result.skip(where, "field '大字町丁目名' empty")
                continue
            try:
                lat, lon = _coords(row.get("緯度"), row.get("経度"))
            except ValueError as exc:
                result.skip(where, f"field '緯度'/'経度': {exc}")
                continue
            places.append(Place("town", name, ward, lat, lon, "mlit"))
    result.output = out_dir / "towns-mlit.csv"
    result.imported = write_csv(
        result.output, places,
        ["Towns (大字・町丁目) imported from 国土交通省 位置参照情報 大字・町丁目レベル,",
         "出典: 国土交通省 位置参照情報ダウンロードサービス https://nlftp.mlit.go.jp/isj/"],
    )
    return result


def shelter_name(raw: str) -> str:
    """``金塚小学校（運動場）`` → ``金塚小学校``; line breaks inside names joined."""
    name = re.sub(r"\s+", "", raw)
    return _PAREN.sub("", name) or name


def import_gsi_shelters(path: Path, out_dir: Path) -> ImportResult:
    result = ImportResult("gsi-shelters")
    places = read_gsi_shelters(_files(path, "*.csv"), result)
    result.output = out_dir / "shelters-gsi.csv"
    if path.is_file() and (out_dir / "shelters-gsi.csv").exists():
        result.output = out_dir / f"shelters-gsi-{path.stem}.csv"
    result.imported = write_csv(
        result.output, places,
        ["Designated shelters and evacuation sites of Osaka City (市町村コード 27100),",
         "出典: 国土地理院 指定緊急避難場所・指定避難所データ https://hinanmap.gsi.go.jp/ (data may be out of date)"],
    )
    return result


def read_gsi_shelters(files: list[Path], result: ImportResult) -> list[Place]:
    """Shelters and evacuation sites of GSI CSV files, one place per name and ward."""
    seen: dict[tuple[str, str], Place] = {}
    for file in files:
        reader = csv.DictReader(io.StringIO(_read_text(file)))
        needed = ("施設・場所名", "住所", "緯度", "経度")
        missing = [c for c in needed if c not in (reader.fieldnames or [])]
        if missing:
            raise UserError(f"{file}: not a GSI 指定避難所/指定緊急避難場所 CSV (missing columns {', '.join(missing)})")
        kind_note = "指定避難所" if "受入対象者" in (reader.fieldnames or []) else "指定緊急避難場所"
        for row in reader:
            where = f"{file.name} line {reader.line_num}"
            name = shelter_name(row.get("施設・場所名") or "")
            if not name:
                result.skip(where, "field '施設・場所名' empty")
                continue
            m = _WARD_IN_ADDRESS.search(row.get("住所") or "")
            if m is None:
                result.outside += 1
                log.info("%s: address %r names no ward of %s", where, row.get("住所"), CITY)
                continue
            try:
                lat, lon = _coords(row.get("緯度"), row.get("経度"))
            except ValueError as exc:
                result.skip(where, f"field '緯度'/'経度': {exc}")
                continue
            seen.setdefault((name, m.group(1)), Place("shelter", name, m.group(1), lat, lon, kind_note))
    return list(seen.values())


IMPORTERS = {"geolonia": import_geolonia, "mlit": import_mlit, "gsi-shelters": import_gsi_shelters}


def import_file(fmt: str, path: str | Path, out_dir: str | Path) -> ImportResult:
    if fmt not in IMPORTERS:
        raise UserError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    return IMPORTERS[fmt](Path(path), Path(out_dir))
